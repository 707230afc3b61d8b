package dev.tracelight.agent;

import dev.tracelight.bootstrap.AgentLog;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.TypeResolutionStrategy;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.pool.TypePool;

/**
 * The agent's one class file transformer (issue 9: ByteBuddy's {@code AgentBuilder} loaded 475 more of its classes,
 * generated a transformer class at every start, and cost the hello app ~450 ms of CPU and ~28 MiB of peak RSS; see
 * agent/README.md). Per class: names first (ignored prefixes, then the modules' type
 * matchers on a lazy description, which parses nothing for a name), then the matching module's library shape in that
 * class loader, then ByteBuddy {@link net.bytebuddy.asm.Advice} inlined into the class file as it is. Nothing is ever
 * added to a class (no fields, methods or initializers), so classes loaded before premain can be retransformed.
 */
final class ClassWeaver implements ClassFileTransformer {
  // JDK classes are fair game; ours and ByteBuddy's never are. Names only: anything else would parse every class.
  private static final String[] IGNORED_PREFIXES = {"net.bytebuddy.", "dev.tracelight.", "jdk.internal.reflect.",
      "jdk.proxy", "com.sun.proxy."};

  private final List<ModuleAdvice> modules;
  private final ClassFileLocator agentClassFiles;
  private final ByteBuddy byteBuddy = new ByteBuddy()
      .with(TypeValidation.DISABLED)
      .with(Implementation.Context.Disabled.Factory.INSTANCE)
      // Advice visits only the methods a class declares; the default would read its whole hierarchy's class files.
      .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE);
  // A transformation that loads a class must not weave it (nor recurse): that class is left as it is.
  private final ThreadLocal<Boolean> weaving = new ThreadLocal<>();

  private ClassWeaver(List<ModuleAdvice> modules, ClassLoader agentLoader) {
    this.modules = modules;
    this.agentClassFiles = ClassFileLocator.ForClassLoader.of(agentLoader);
  }

  static ClassWeaver create(List<ModuleAdvice> modules, ClassLoader agentLoader) {
    return new ClassWeaver(List.copyOf(modules), agentLoader);
  }

  static boolean isIgnored(String typeName) {
    for (String prefix : IGNORED_PREFIXES) {
      if (typeName.startsWith(prefix)) {
        return true;
      }
    }
    return typeName.contains("$$Lambda");
  }

  /** Whether a class loaded before premain is one to retransform: a type matcher names it, and its library fits. */
  boolean isCandidate(Class<?> type) {
    try {
      if (isIgnored(type.getName())) {
        return false;
      }
      TypeDescription description = TypeDescription.ForLoadedType.of(type);
      for (ModuleAdvice module : modules) {
        if (module.matchesName(description) && module.fits(type.getClassLoader())) {
          return true;
        }
      }
      return false;
    } catch (RuntimeException | LinkageError e) {
      return true; // the transformation judges it again, and logs what fails
    }
  }

  @Override
  public byte[] transform(Module javaModule, ClassLoader loader, String internalName, Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain, byte[] classFile) {
    if (internalName == null || weaving.get() != null) {
      return null;
    }
    weaving.set(Boolean.TRUE);
    String typeName = internalName.replace('/', '.');
    try {
      return isIgnored(typeName) ? null : weave(loader, typeName, classFile);
    } catch (Throwable t) {
      logFailure(typeName, t);
      return null;
    } finally {
      weaving.remove();
    }
  }

  private byte[] weave(ClassLoader loader, String typeName, byte[] classFile) {
    ClassFileLocator classFiles = classFiles(loader, typeName, classFile);
    TypePool pool = pool(classFiles);
    TypeDescription type = pool.describe(typeName).resolve();
    List<AdviceBinding> bindings = new ArrayList<>(0);
    for (ModuleAdvice module : modules) {
      module.addBindings(type, loader, bindings);
    }
    if (bindings.isEmpty()) {
      return null;
    }
    byte[] woven = woven(type, classFiles, pool, bindings);
    AgentLog.debug("instrumented " + typeName);
    return woven;
  }

  /**
   * Runs the whole weaving path once, on premain's thread, before other threads can weave (the SDK is built on one
   * right after): ByteBuddy's static initialisers form cycles that deadlock when two threads first enter them at once
   * (byte-buddy#1347), and premain may find no loaded class to weave. Returns the woven class file (premain drops it).
   */
  byte[] warmUp() {
    String typeName = WarmUp.class.getName();
    ClassFileLocator classFiles = classFiles(WarmUp.class.getClassLoader(), typeName, null);
    TypePool pool = pool(classFiles);
    AdviceBinding binding = new AdviceBinding().apply(ElementMatchers.named("greet"), WarmUp.Advice.class.getName());
    return woven(pool.describe(typeName).resolve(), classFiles, pool, List.of(binding));
  }

  /** The class as handed to us first (if it was); then its loader; then ours, which alone holds the advice classes. */
  private ClassFileLocator classFiles(ClassLoader loader, String typeName, byte[] classFile) {
    ClassFileLocator ofLoader = ClassFileLocator.ForClassLoader.of(loader);
    return classFile == null ? new ClassFileLocator.Compound(ofLoader, agentClassFiles)
        : new ClassFileLocator.Compound(ClassFileLocator.Simple.of(typeName, classFile), ofLoader, agentClassFiles);
  }

  private static TypePool pool(ClassFileLocator classFiles) {
    return new TypePool.Default.WithLazyResolution(TypePool.CacheProvider.Simple.withObjectType(), classFiles,
        TypePool.Default.ReaderMode.FAST);
  }

  private byte[] woven(TypeDescription type, ClassFileLocator classFiles, TypePool pool, List<AdviceBinding> bindings) {
    // decorate, not a frozen redefine: both only rewrite declared methods; decorate loads 106 fewer ByteBuddy classes
    DynamicType.Builder<?> builder = byteBuddy.decorate(type, classFiles);
    for (AdviceBinding binding : bindings) {
      builder = builder.visit(binding.visitor(pool, classFiles));
    }
    return builder.make(TypeResolutionStrategy.Disabled.INSTANCE, pool).getBytes();
  }

  /** What {@link #warmUp} weaves: a method with an argument and a result, advice on entry and exit with a local. */
  static final class WarmUp {
    String greet(String name) {
      return "Hello, " + name;
    }

    static final class Advice {
      @net.bytebuddy.asm.Advice.OnMethodEnter(suppress = Throwable.class)
      static long enter(@net.bytebuddy.asm.Advice.Argument(0) String name,
          @net.bytebuddy.asm.Advice.Local("start") long start) {
        start = name.length();
        return start;
      }

      @net.bytebuddy.asm.Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
      static void exit(@net.bytebuddy.asm.Advice.Enter long entered, @net.bytebuddy.asm.Advice.This Object self,
          @net.bytebuddy.asm.Advice.Return(readOnly = false) String greeting,
          @net.bytebuddy.asm.Advice.Thrown Throwable thrown) {
        if (thrown == null && entered >= 0) {
          greeting = greeting + "!";
        }
      }
    }
  }

  /** Once per type, never a stack trace unless debugging. */
  private static void logFailure(String typeName, Throwable failure) {
    if (failure instanceof TypePool.Resolution.NoSuchTypeException) {
      AgentLog.debug("cannot read the class file of " + typeName + ": " + failure.getMessage());
      return;
    }
    AgentLog.warnOnce("transform:" + typeName, "could not instrument " + typeName + "; it runs untraced", failure);
  }
}
