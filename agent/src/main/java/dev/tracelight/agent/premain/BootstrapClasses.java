package dev.tracelight.agent.premain;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Puts the jar's bootstrap part (our bridge and the relocated OpenTelemetry API) into the boot class loader by
 * defining its classes there, instead of appending the jar to the bootstrap search path. Appending makes JDK 17 switch
 * off class-data sharing for every class of the platform and application loaders (a start-up cost) and print a VM
 * warning; defining a few hundred small classes up front costs a fraction of that.
 *
 * <p>The boot loader has no public API for this: {@code jdk.internal.misc.Unsafe.defineClass} is opened to this class
 * alone through {@link Instrumentation#redefineModule}, which is what that API is for. If anything here fails, the
 * caller falls back to appending the jar.
 */
final class BootstrapClasses {
  private static final String[] PREFIXES = {
    "dev/tracelight/bootstrap/",
    "dev/tracelight/shaded/io/opentelemetry/api/",
    "dev/tracelight/shaded/io/opentelemetry/context/",
    "dev/tracelight/shaded/io/opentelemetry/common/"
  };

  private final Map<String, byte[]> pending;
  private final Object unsafe;
  private final Method defineClass;

  private BootstrapClasses(Map<String, byte[]> pending, Object unsafe, Method defineClass) {
    this.pending = pending;
    this.unsafe = unsafe;
    this.defineClass = defineClass;
  }

  /** Defines every bootstrap-part class of {@code jar} in the boot loader; returns how many. */
  static int define(Instrumentation instrumentation, JarFile jar) throws Exception {
    Module javaBase = Object.class.getModule();
    instrumentation.redefineModule(javaBase, Set.of(), Map.of(),
        Map.of("jdk.internal.misc", Set.of(BootstrapClasses.class.getModule())), Set.of(), Map.of());
    Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
    Object unsafe = unsafeClass.getMethod("getUnsafe").invoke(null);
    Method defineClass = unsafeClass.getMethod("defineClass", String.class, byte[].class, int.class, int.class,
        ClassLoader.class, ProtectionDomain.class);
    BootstrapClasses classes = new BootstrapClasses(read(jar), unsafe, defineClass);
    int count = classes.pending.size();
    while (!classes.pending.isEmpty()) {
      classes.defineWithSupertypes(classes.pending.keySet().iterator().next());
    }
    return count;
  }

  /**
   * Defines {@code name}; the boot loader resolves its superclass and interfaces while defining it, and cannot find
   * ours on its own, so a missing one is defined first and the definition retried.
   */
  private void defineWithSupertypes(String name) throws Exception {
    byte[] bytes = pending.get(name);
    while (true) {
      try {
        defineClass.invoke(unsafe, name, bytes, 0, bytes.length, null, null);
        pending.remove(name);
        return;
      } catch (InvocationTargetException e) {
        String missing = missingClass(e.getCause());
        if (missing == null || missing.equals(name) || !pending.containsKey(missing)) {
          throw e;
        }
        defineWithSupertypes(missing);
      }
    }
  }

  private static String missingClass(Throwable error) {
    if (!(error instanceof NoClassDefFoundError) || error.getMessage() == null) {
      return null;
    }
    return error.getMessage().replace('/', '.');
  }

  private static Map<String, byte[]> read(JarFile jar) throws IOException {
    Map<String, byte[]> classes = new HashMap<>();
    for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
      JarEntry entry = entries.nextElement();
      String path = entry.getName();
      if (path.endsWith(".class") && isBootstrapPart(path)) {
        try (InputStream in = jar.getInputStream(entry)) {
          classes.put(path.substring(0, path.length() - ".class".length()).replace('/', '.'), in.readAllBytes());
        }
      }
    }
    return classes;
  }

  private static boolean isBootstrapPart(String path) {
    for (String prefix : PREFIXES) {
      if (path.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
