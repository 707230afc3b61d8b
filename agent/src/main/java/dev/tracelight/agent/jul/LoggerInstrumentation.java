package dev.tracelight.agent.jul;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.tracelight.agent.AdviceBinding;
import dev.tracelight.agent.TypeInstrumentation;
import dev.tracelight.bootstrap.logs.JulRecords;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** Every JUL convenience method ({@code info}, {@code log(Level, …)}, {@code logp}…) ends in {@code log(LogRecord)}. */
final class LoggerInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("java.util.logging.Logger");
  }

  @Override
  public void transform(AdviceBinding advice) {
    advice.apply(named("log").and(takesArguments(1)).and(takesArgument(0, LogRecord.class)),
        getClass().getName() + "$LogAdvice");
  }

  @SuppressWarnings("unused")
  public static final class LogAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Logger logger, @Advice.Argument(0) LogRecord record) {
      if (record != null && logger.isLoggable(record.getLevel())) {
        JulRecords.emit(logger.getName(), record);
      }
    }
  }
}
