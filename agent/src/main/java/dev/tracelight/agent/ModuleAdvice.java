package dev.tracelight.agent;

import dev.tracelight.bootstrap.AgentLog;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** One module's type matchers, and its advice, prepared when one of them first accepts a class. */
final class ModuleAdvice {
  private final InstrumentationModule module;
  private final List<TypeInstrumentation> types;
  private final List<ElementMatcher<TypeDescription>> typeMatchers = new ArrayList<>();
  private List<AdviceBinding> bindings; // guarded by this; null until first needed
  private boolean failed; // guarded by this

  private ModuleAdvice(InstrumentationModule module) {
    this.module = module;
    this.types = module.typeInstrumentations();
    for (TypeInstrumentation type : types) {
      typeMatchers.add(type.typeMatcher());
    }
  }

  /** @throws RuntimeException or LinkageError where the module's types cannot be listed: it is then left out */
  static ModuleAdvice of(InstrumentationModule module) {
    return new ModuleAdvice(module);
  }

  String name() {
    return module.name();
  }

  /** Whether a type matcher of the module accepts {@code type}: names only, but for {@code @WithSpan}'s. */
  boolean matchesName(TypeDescription type) {
    for (ElementMatcher<TypeDescription> matcher : typeMatchers) {
      if (matcher.matches(type)) {
        return true;
      }
    }
    return false;
  }

  /** Adds the advice of each of this module's types that matches {@code type} where the library fits. */
  void addBindings(TypeDescription type, ClassLoader loader, List<AdviceBinding> into) {
    for (int i = 0; i < typeMatchers.size(); i++) {
      if (!typeMatchers.get(i).matches(type) || !fits(loader)) {
        continue;
      }
      List<AdviceBinding> prepared = bindings();
      if (prepared != null) {
        into.add(prepared.get(i));
      }
    }
  }

  /** Whether the library has the shape the module's advice needs in {@code loader} (checked once per loader). */
  boolean fits(ClassLoader loader) {
    if (module.shape().matches(loader)) {
      return true;
    }
    if (AgentLog.isDebug()) {
      AgentLog.debug("instrumentation " + module.name() + " skipped for " + loader + ": the library lacks "
          + module.shape().firstMissing(loader));
    }
    return false;
  }

  /** All of the module's advice or, if any of it cannot be prepared, none: a module is never half-applied. */
  private synchronized List<AdviceBinding> bindings() {
    if (bindings == null && !failed) {
      try {
        List<AdviceBinding> prepared = new ArrayList<>();
        for (TypeInstrumentation type : types) {
          AdviceBinding binding = new AdviceBinding();
          type.transform(binding);
          prepared.add(binding);
        }
        bindings = prepared;
      } catch (RuntimeException | LinkageError e) {
        failed = true;
        AgentLog.errorOnce("module:" + module.name(), "instrumentation " + module.name() + " skipped", e);
      }
    }
    return bindings;
  }
}
