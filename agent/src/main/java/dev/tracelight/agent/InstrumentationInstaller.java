package dev.tracelight.agent;

import static net.bytebuddy.matcher.ElementMatchers.nameContains;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;

import dev.tracelight.bootstrap.AgentLog;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Predicate;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.JavaModule;

/** Weaves the advice of every enabled module into matching classes, those already loaded included. */
final class InstrumentationInstaller {
  private static final String BYTEBUDDY_SAFE_MODE = "net.bytebuddy.safe";
  // Unlike ByteBuddy's default, JDK classes are fair game; ours and ByteBuddy's never are. Names only: anything else
  // would parse every class the JVM loads.
  private static final ElementMatcher<TypeDescription> IGNORED = nameStartsWith("net.bytebuddy.")
      .or(nameStartsWith("dev.tracelight."))
      .or(nameStartsWith("jdk.internal.reflect."))
      .or(nameContains("$$Lambda"))
      .or(nameStartsWith("jdk.proxy"))
      .or(nameStartsWith("com.sun.proxy."));

  private final Instrumentation instrumentation;
  private final ClassLoader agentLoader;

  private InstrumentationInstaller(Instrumentation instrumentation, ClassLoader agentLoader) {
    this.instrumentation = instrumentation;
    this.agentLoader = agentLoader;
  }

  static InstrumentationInstaller create(Instrumentation instrumentation, ClassLoader agentLoader) {
    return new InstrumentationInstaller(instrumentation, agentLoader);
  }

  /** Every module on the agent class loader, in a stable order. */
  static List<InstrumentationModule> discover(ClassLoader agentLoader) {
    List<InstrumentationModule> modules = new ArrayList<>();
    for (InstrumentationModule module : ServiceLoader.load(InstrumentationModule.class, agentLoader)) {
      modules.add(module);
    }
    return modules;
  }

  /** Installs the modules {@code enabled} accepts; returns the names of those installed. */
  List<String> install(List<InstrumentationModule> modules, Predicate<String> enabled) {
    AgentBuilder builder = newAgentBuilder()
        .disableClassFormatChanges()
        .with(AgentBuilder.PoolStrategy.Default.FAST)
        .with(AgentBuilder.DescriptionStrategy.Default.POOL_ONLY)
        .with(AgentBuilder.LocationStrategy.ForClassLoader.STRONG
            .withFallbackTo(ClassFileLocator.ForClassLoader.of(agentLoader)))
        .with(new FailureListener())
        .ignore(IGNORED);
    List<ElementMatcher<TypeDescription>> typeMatchers = new ArrayList<>();
    List<String> installed = new ArrayList<>();
    for (InstrumentationModule module : modules) {
      if (!enabled.test(module.name())) {
        AgentLog.debug("instrumentation " + module.name() + " disabled by configuration");
        continue;
      }
      try {
        module.install();
        // AgentBuilder is immutable: the module joins only once all of its types are prepared, never half of them.
        AgentBuilder withModule = builder;
        List<ElementMatcher<TypeDescription>> moduleMatchers = new ArrayList<>();
        for (TypeInstrumentation type : module.typeInstrumentations()) {
          AdviceBinding binding = new AdviceBinding(new AgentBuilder.Transformer.ForAdvice(
                  Advice.withCustomMapping())
              .include(agentLoader)
              .withExceptionHandler(Advice.ExceptionHandler.Default.SUPPRESSING));
          type.transform(binding);
          withModule = withModule.type(new ModuleMatcher(module, type)).transform(binding.transformer());
          moduleMatchers.add(type.typeMatcher());
        }
        builder = withModule;
        typeMatchers.addAll(moduleMatchers);
        installed.add(module.name());
      } catch (RuntimeException | LinkageError e) {
        AgentLog.errorOnce("module:" + module.name(), "instrumentation " + module.name() + " skipped", e);
      }
    }
    builder.with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
        .with(new LoadedCandidates(typeMatchers))
        .installOn(instrumentation);
    return installed;
  }

  /**
   * ByteBuddy's AgentBuilder probes sun.misc.Unsafe in static initializers (for class injection, which inlined advice
   * never needs), and JDK 24+ prints a warning to the application's stderr for that. Its documented switch is a
   * system property read once by those initializers, in our hidden copy of ByteBuddy only; it is set just for that
   * moment so that an application's own ByteBuddy is unaffected.
   */
  private static AgentBuilder newAgentBuilder() {
    String previous = System.getProperty(BYTEBUDDY_SAFE_MODE);
    System.setProperty(BYTEBUDDY_SAFE_MODE, "true");
    try {
      return new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED));
    } finally {
      if (previous == null) {
        System.clearProperty(BYTEBUDDY_SAFE_MODE);
      } else {
        System.setProperty(BYTEBUDDY_SAFE_MODE, previous);
      }
    }
  }

  /**
   * The classes loaded before premain that some module's type matcher accepts (issue 9): a few out of ~2,700. By
   * default ByteBuddy gives every loaded class its full matching pass (a pool description, class file locator and
   * listener calls each); here the type matchers see each class's loaded-type description first, which costs little
   * for the name matchers the modules use. ByteBuddy still applies the complete matching, the library shape included,
   * to the classes that remain. A matcher that fails on a class keeps that class in, to be judged the usual way.
   */
  private static final class LoadedCandidates implements AgentBuilder.RedefinitionStrategy.DiscoveryStrategy {
    private final List<ElementMatcher<TypeDescription>> typeMatchers;

    LoadedCandidates(List<ElementMatcher<TypeDescription>> typeMatchers) {
      this.typeMatchers = typeMatchers;
    }

    @Override
    public Iterable<Iterable<Class<?>>> resolve(Instrumentation instrumentation) {
      List<Class<?>> candidates = new ArrayList<>();
      for (Class<?> type : instrumentation.getAllLoadedClasses()) {
        if (instrumentation.isModifiableClass(type) && isCandidate(type)) {
          candidates.add(type);
        }
      }
      return List.of(candidates);
    }

    private boolean isCandidate(Class<?> type) {
      try {
        TypeDescription description = TypeDescription.ForLoadedType.of(type);
        if (IGNORED.matches(description)) {
          return false;
        }
        for (ElementMatcher<TypeDescription> matcher : typeMatchers) {
          if (matcher.matches(description)) {
            return true;
          }
        }
        return false;
      } catch (RuntimeException | LinkageError e) {
        return true;
      }
    }
  }

  /** Name first (cheap, every class), then the module's shape (once per class loader). */
  private static final class ModuleMatcher implements AgentBuilder.RawMatcher {
    private final InstrumentationModule module;
    private final ElementMatcher<TypeDescription> typeMatcher;

    ModuleMatcher(InstrumentationModule module, TypeInstrumentation type) {
      this.module = module;
      this.typeMatcher = type.typeMatcher();
    }

    @Override
    public boolean matches(TypeDescription typeDescription, ClassLoader classLoader, JavaModule javaModule,
        Class<?> classBeingRedefined, ProtectionDomain protectionDomain) {
      if (!typeMatcher.matches(typeDescription)) {
        return false;
      }
      if (module.shape().matches(classLoader)) {
        return true;
      }
      if (AgentLog.isDebug()) {
        AgentLog.debug("instrumentation " + module.name() + " skipped for " + classLoader + ": the library lacks "
            + module.shape().firstMissing(classLoader));
      }
      return false;
    }
  }

  /** Transformation failures: once per type, never a stack trace unless debugging. */
  private static final class FailureListener extends AgentBuilder.Listener.Adapter {
    @Override
    public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded,
        Throwable throwable) {
      if (throwable instanceof TypePool.Resolution.NoSuchTypeException) {
        AgentLog.debug("cannot read the class file of " + typeName + ": " + throwable.getMessage());
        return;
      }
      AgentLog.warnOnce("transform:" + typeName, "could not instrument " + typeName + "; it runs untraced", throwable);
    }

    @Override
    public void onTransformation(TypeDescription typeDescription, ClassLoader classLoader, JavaModule module,
        boolean loaded, DynamicType dynamicType) {
      AgentLog.debug("instrumented " + typeDescription.getName());
    }
  }
}
