package dev.tracelight.agent.logback;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.tracelight.agent.AdviceBinding;
import dev.tracelight.agent.TypeInstrumentation;
import dev.tracelight.bootstrap.logs.LogCorrelation;
import java.util.Map;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The event keeps the MDC map it read first; the ids are added to that map, so they stay with the event when an
 * AsyncAppender prepares it on the logging thread and formats it on another.
 */
final class LoggingEventInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("ch.qos.logback.classic.spi.LoggingEvent");
  }

  @Override
  public void transform(AdviceBinding advice) {
    advice.apply(named("getMDCPropertyMap").and(takesArguments(0)), getClass().getName() + "$MdcAdvice");
  }

  @SuppressWarnings("unused")
  public static final class MdcAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Map<String, String> mdc,
        @Advice.FieldValue(value = "mdcPropertyMap", readOnly = false, typing = Assigner.Typing.DYNAMIC)
            Map<String, String> field) {
      Map<String, String> correlated = LogCorrelation.withTraceContext(mdc);
      if (correlated != mdc) {
        field = correlated;
        mdc = correlated;
      }
    }
  }
}
