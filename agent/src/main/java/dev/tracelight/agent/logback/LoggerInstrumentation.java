package dev.tracelight.agent.logback;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxy;
import dev.tracelight.agent.AdviceBinding;
import dev.tracelight.agent.TypeInstrumentation;
import dev.tracelight.bootstrap.logs.LogRecords;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** {@code Logger.callAppenders} runs once per event that passed the level check, on the logging thread. */
final class LoggerInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("ch.qos.logback.classic.Logger");
  }

  @Override
  public void transform(AdviceBinding advice) {
    advice.apply(named("callAppenders").and(takesArguments(1)), getClass().getName() + "$CallAppendersAdvice");
  }

  @SuppressWarnings("unused")
  public static final class CallAppendersAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(0) ILoggingEvent event) {
      IThrowableProxy proxy = event.getThrowableProxy();
      LogRecords.emit(event.getLoggerName(), LogRecords.severityOfLogback(event.getLevel().toInt()),
          event.getLevel().toString(), event.getFormattedMessage(), event.getTimeStamp(),
          proxy instanceof ThrowableProxy ? ((ThrowableProxy) proxy).getThrowable() : null);
    }
  }
}
