package dev.tracelight.agent.log4j;

import dev.tracelight.agent.InstrumentationModule;
import dev.tracelight.agent.LibraryShape;
import dev.tracelight.agent.TypeInstrumentation;
import java.util.List;

/**
 * Every Log4j 2 event that passes its logger's level also becomes an OpenTelemetry log record, exported when
 * {@code OTEL_LOGS_EXPORTER} is otlp (the default). The application's own appenders are untouched.
 */
public final class Log4jAppenderModule extends InstrumentationModule {
  public Log4jAppenderModule() {
    super("log4j-appender");
  }

  @Override
  public LibraryShape shape() {
    return Log4jContextDataModule.SHAPE;
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return List.of(new LoggerInstrumentation());
  }
}
