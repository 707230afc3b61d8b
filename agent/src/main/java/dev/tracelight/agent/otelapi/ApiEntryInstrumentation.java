package dev.tracelight.agent.otelapi;

import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.tracelight.agent.AdviceBinding;
import dev.tracelight.agent.TypeInstrumentation;
import dev.tracelight.bootstrap.otelapi.ApiBridge;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The application API's two entry points: {@code GlobalOpenTelemetry} (get, getOrNoop, isSet, set) and the
 * creation of its context storage ({@code LazyStorage.createStorage}, which runs once, before the
 * {@code ContextStorage.addWrapper} wrappers are applied, so they wrap ours). The advice names no API type (a name in
 * our code would be relocated to our own copy): it handles values as Object and passes the instrumented class.
 */
final class ApiEntryInstrumentation {
  private ApiEntryInstrumentation() {}

  static TypeInstrumentation globalOpenTelemetry() {
    return new TypeInstrumentation() {
      @Override
      public ElementMatcher<TypeDescription> typeMatcher() {
        return named(ApiBridge.GLOBAL_OPEN_TELEMETRY);
      }

      @Override
      public void transform(AdviceBinding binding) {
        String outer = ApiEntryInstrumentation.class.getName();
        binding.apply(namedOneOf("get", "getOrNoop").and(isStatic()).and(takesArguments(0)), outer + "$GetAdvice")
            .apply(named("isSet").and(isStatic()).and(takesArguments(0)), outer + "$IsSetAdvice")
            .apply(named("set").and(isStatic()).and(takesArguments(1)), outer + "$SetAdvice");
      }
    };
  }

  static TypeInstrumentation contextStorage() {
    return new TypeInstrumentation() {
      @Override
      public ElementMatcher<TypeDescription> typeMatcher() {
        return named(ApiBridge.LAZY_STORAGE);
      }

      @Override
      public void transform(AdviceBinding binding) {
        binding.apply(named("createStorage").and(isStatic()).and(takesArguments(1)),
            ApiEntryInstrumentation.class.getName() + "$CreateStorageAdvice");
      }
    };
  }

  /** Skips the original (no autoconfigured application SDK, no global set to a no-op) and returns our view. */
  @SuppressWarnings("unused")
  public static final class GetAdvice {
    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
    public static Object enter(@Advice.Origin Class<?> type) {
      return ApiBridge.openTelemetry(type);
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.Enter Object view,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned) {
      if (view != null) {
        returned = view;
      }
    }
  }

  @SuppressWarnings("unused")
  public static final class IsSetAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.Origin Class<?> type, @Advice.Return(readOnly = false) boolean returned) {
      if (ApiBridge.openTelemetry(type) != null) {
        returned = true;
      }
    }
  }

  @SuppressWarnings("unused")
  public static final class SetAdvice {
    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
    public static boolean enter(@Advice.Origin Class<?> type) {
      return ApiBridge.ignoreGlobalSet(type);
    }
  }

  @SuppressWarnings("unused")
  public static final class CreateStorageAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.Origin Class<?> type,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned) {
      returned = ApiBridge.contextStorage(type, returned);
    }
  }
}
