package dev.tracelight.agent.log4j;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.tracelight.agent.AdviceBinding;
import dev.tracelight.agent.TypeInstrumentation;
import dev.tracelight.bootstrap.logs.LogCorrelation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.apache.logging.log4j.core.impl.ContextDataFactory;
import org.apache.logging.log4j.util.StringMap;

/**
 * Log4j copies the ThreadContext into each event through one of these injectors, on the logging thread. Their result
 * may be frozen or shared, so the ids go into a copy that the event then keeps.
 */
final class ContextDataInjectorInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return namedOneOf(
        "org.apache.logging.log4j.core.impl.ThreadContextDataInjector$ForDefaultThreadContextMap",
        "org.apache.logging.log4j.core.impl.ThreadContextDataInjector$ForGarbageFreeThreadContextMap",
        "org.apache.logging.log4j.core.impl.ThreadContextDataInjector$ForCopyOnWriteThreadContextMap");
  }

  @Override
  public void transform(AdviceBinding advice) {
    advice.apply(named("injectContextData").and(takesArguments(2)), getClass().getName() + "$InjectAdvice");
  }

  @SuppressWarnings("unused")
  public static final class InjectAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.Return(readOnly = false) StringMap contextData) {
      String[] ids = LogCorrelation.currentIds();
      if (ids != null && (contextData == null || !contextData.containsKey(LogCorrelation.TRACE_ID))) {
        StringMap copy = ContextDataFactory.createContextData(contextData == null ? 3 : contextData.size() + 3);
        if (contextData != null) {
          copy.putAll(contextData);
        }
        copy.putValue(LogCorrelation.TRACE_ID, ids[0]);
        copy.putValue(LogCorrelation.SPAN_ID, ids[1]);
        copy.putValue(LogCorrelation.TRACE_FLAGS, ids[2]);
        contextData = copy;
      }
    }
  }
}
