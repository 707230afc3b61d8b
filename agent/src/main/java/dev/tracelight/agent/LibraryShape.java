package dev.tracelight.agent;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

/**
 * The types and methods a module's advice relies on. Checked by reading class files (nothing is loaded), once per
 * class loader, so a library that is absent or of another version is skipped as a whole instead of half-instrumented.
 */
public final class LibraryShape {
  public static final LibraryShape ANY = new LibraryShape(Collections.emptyList());

  private static final Object BOOT_LOADER_KEY = new Object();

  private final List<Requirement> requirements;
  private final Map<Object, Boolean> verdicts = Collections.synchronizedMap(new WeakHashMap<>());

  private LibraryShape(List<Requirement> requirements) {
    this.requirements = requirements;
  }

  public static Builder builder() {
    return new Builder();
  }

  boolean matches(ClassLoader loader) {
    if (requirements.isEmpty()) {
      return true;
    }
    Object key = loader == null ? BOOT_LOADER_KEY : loader;
    Boolean verdict = verdicts.get(key);
    if (verdict == null) {
      verdict = check(loader);
      verdicts.put(key, verdict);
    }
    return verdict;
  }

  /** The first requirement that is not met in {@code loader}, or null. */
  String firstMissing(ClassLoader loader) {
    ClassFileLocator locator =
        loader == null ? ClassFileLocator.ForClassLoader.ofBootLoader() : ClassFileLocator.ForClassLoader.of(loader);
    TypePool pool = TypePool.Default.WithLazyResolution.of(locator);
    for (Requirement requirement : requirements) {
      TypePool.Resolution resolution = pool.describe(requirement.type);
      if (!resolution.isResolved()) {
        return requirement.type;
      }
      if (requirement.method != null && !hasMethod(resolution.resolve(), requirement)) {
        return requirement.type + "#" + requirement.method + "(" + requirement.parameters + " parameters)";
      }
    }
    return null;
  }

  private boolean check(ClassLoader loader) {
    try {
      return firstMissing(loader) == null;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static boolean hasMethod(TypeDescription type, Requirement requirement) {
    for (MethodDescription.InDefinedShape method : type.getDeclaredMethods()) {
      boolean nameMatches = requirement.method.equals("<init>") ? method.isConstructor()
          : method.getName().equals(requirement.method);
      if (nameMatches && method.getParameters().size() == requirement.parameters) {
        return true;
      }
    }
    return false;
  }

  public static final class Builder {
    private final List<Requirement> requirements = new ArrayList<>();

    private Builder() {}

    public Builder type(String typeName) {
      requirements.add(new Requirement(typeName, null, 0));
      return this;
    }

    /** A method (or {@code <init>} for a constructor) declared by {@code typeName} with that many parameters. */
    public Builder method(String typeName, String methodName, int parameters) {
      requirements.add(new Requirement(typeName, methodName, parameters));
      return this;
    }

    public LibraryShape build() {
      return new LibraryShape(List.copyOf(requirements));
    }
  }

  private static final class Requirement {
    final String type;
    final String method;
    final int parameters;

    Requirement(String type, String method, int parameters) {
      this.type = type;
      this.method = method;
      this.parameters = parameters;
    }
  }
}
