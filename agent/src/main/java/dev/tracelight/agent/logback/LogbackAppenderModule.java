package dev.tracelight.agent.logback;

import dev.tracelight.agent.InstrumentationModule;
import dev.tracelight.agent.LibraryShape;
import dev.tracelight.agent.TypeInstrumentation;
import java.util.List;

/**
 * Every Logback event that passes its logger's level also becomes an OpenTelemetry log record, exported when
 * {@code OTEL_LOGS_EXPORTER} is otlp (the default). The application's own appenders are untouched.
 */
public final class LogbackAppenderModule extends InstrumentationModule {
  public LogbackAppenderModule() {
    super("logback-appender");
  }

  @Override
  public LibraryShape shape() {
    return LogbackMdcModule.SHAPE;
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return List.of(new LoggerInstrumentation());
  }
}
