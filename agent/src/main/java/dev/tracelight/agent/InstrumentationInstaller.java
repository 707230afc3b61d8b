package dev.tracelight.agent;

import dev.tracelight.bootstrap.AgentLog;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Predicate;

/** Weaves the advice of every enabled module into matching classes, those already loaded included. */
final class InstrumentationInstaller {
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
    List<ModuleAdvice> installed = new ArrayList<>();
    for (InstrumentationModule module : modules) {
      if (!enabled.test(module.name())) {
        AgentLog.debug("instrumentation " + module.name() + " disabled by configuration");
        continue;
      }
      try {
        module.install();
        installed.add(ModuleAdvice.of(module));
      } catch (RuntimeException | LinkageError e) {
        AgentLog.errorOnce("module:" + module.name(), "instrumentation " + module.name() + " skipped", e);
      }
    }
    ClassWeaver weaver = ClassWeaver.create(installed, agentLoader);
    try {
      weaver.warmUp();
    } catch (RuntimeException | LinkageError e) { // weaving is then likely to fail elsewhere too, and says so there
      AgentLog.debug("the warm-up weave failed: " + e);
    }
    instrumentation.addTransformer(weaver, true);
    retransformLoaded(weaver);
    List<String> names = new ArrayList<>();
    for (ModuleAdvice module : installed) {
      names.add(module.name());
    }
    return names;
  }

  /**
   * Weaves the classes loaded before premain that some module names (issue 9): a few JDK classes out of ~2,700,
   * picked by name from their loaded-type descriptions, so no class file is read for the others. One call for all;
   * if the JVM refuses it (one bad class fails the whole call), one call per class, so the others are still woven.
   */
  private void retransformLoaded(ClassWeaver weaver) {
    List<Class<?>> candidates = new ArrayList<>();
    for (Class<?> type : instrumentation.getAllLoadedClasses()) {
      if (instrumentation.isModifiableClass(type) && weaver.isCandidate(type)) {
        candidates.add(type);
      }
    }
    if (candidates.isEmpty()) {
      return;
    }
    try {
      instrumentation.retransformClasses(candidates.toArray(new Class<?>[0]));
    } catch (Throwable all) {
      for (Class<?> type : candidates) {
        try {
          instrumentation.retransformClasses(type);
        } catch (Throwable one) {
          AgentLog.warnOnce("transform:" + type.getName(), "could not instrument " + type.getName()
              + "; it runs untraced", one);
        }
      }
    }
  }
}
