package dev.tracelight.bootstrap.logs;

import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/** java.util.logging records as OpenTelemetry log records; the agent's own (relocated SDK) loggers are left out. */
public final class JulRecords {
  private static final String AGENT_LOGGERS = "dev.tracelight.";
  /** Only for {@code formatMessage}: parameters and resource bundles, as JUL's own formatters apply them. */
  private static final Formatter MESSAGE_FORMAT = new Formatter() {
    @Override
    public String format(LogRecord record) {
      return formatMessage(record);
    }
  };

  private JulRecords() {}

  public static void emit(String loggerName, LogRecord record) {
    if (loggerName != null && loggerName.startsWith(AGENT_LOGGERS)) {
      return; // the SDK's own warnings would otherwise feed the pipeline they are about
    }
    LogRecords.emit(loggerName, LogRecords.severityOfJul(record.getLevel().intValue()), record.getLevel().getName(),
        MESSAGE_FORMAT.formatMessage(record), record.getMillis(), record.getThrown());
  }
}
