package dev.tracelight.agent.otelapi;

import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.tracelight.agent.AdviceBinding;
import dev.tracelight.agent.TypeInstrumentation;
import dev.tracelight.bootstrap.otelapi.ApiBridge;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * A static entry point of the application's API whose result is replaced by the bridge's. The advice names no API
 * type (a name in our code would be relocated to our own copy): it handles the result as Object.
 */
final class ApiEntryInstrumentation implements TypeInstrumentation {
  private final String typeName;
  private final String methodName;
  private final String advice;

  ApiEntryInstrumentation(String typeName, String methodName, String adviceSuffix) {
    this.typeName = typeName;
    this.methodName = methodName;
    this.advice = ApiEntryInstrumentation.class.getName() + adviceSuffix;
  }

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named(typeName);
  }

  @Override
  public void transform(AdviceBinding binding) {
    binding.apply(named(methodName).and(isStatic()).and(takesArguments(0)), advice);
  }

  @SuppressWarnings("unused")
  public static final class GlobalGetAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned) {
      returned = ApiBridge.openTelemetry(returned);
    }
  }

  @SuppressWarnings("unused")
  public static final class SpanCurrentAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned) {
      returned = ApiBridge.currentSpan(returned);
    }
  }
}
