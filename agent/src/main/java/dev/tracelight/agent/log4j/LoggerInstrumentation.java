package dev.tracelight.agent.log4j;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.tracelight.agent.AdviceBinding;
import dev.tracelight.agent.TypeInstrumentation;
import dev.tracelight.bootstrap.logs.LogRecords;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.message.Message;

/**
 * The core logger's two entries once the level check passed: {@code logMessage} (the classic API) and {@code log}
 * with a location (the LogBuilder API, 2.13+).
 */
final class LoggerInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("org.apache.logging.log4j.core.Logger");
  }

  @Override
  public void transform(AdviceBinding advice) {
    String outer = getClass().getName();
    advice.apply(named("logMessage").and(takesArguments(5)), outer + "$LogMessageAdvice")
        .apply(named("log").and(takesArguments(6)), outer + "$LogAdvice");
  }

  @SuppressWarnings("unused")
  public static final class LogMessageAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Logger logger, @Advice.Argument(1) Level level,
        @Advice.Argument(3) Message message, @Advice.Argument(4) Throwable error) {
      LogRecords.emit(logger.getName(), LogRecords.severityOfLog4j(level.intLevel()), level.name(),
          message == null ? null : message.getFormattedMessage(), 0, error);
    }
  }

  @SuppressWarnings("unused")
  public static final class LogAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Logger logger, @Advice.Argument(0) Level level,
        @Advice.Argument(4) Message message, @Advice.Argument(5) Throwable error) {
      LogRecords.emit(logger.getName(), LogRecords.severityOfLog4j(level.intLevel()), level.name(),
          message == null ? null : message.getFormattedMessage(), 0, error);
    }
  }
}
