package dev.tracelight.agent.sdk;

import dev.tracelight.bootstrap.AgentLog;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * The SDK logs through java.util.logging. Its loggers (relocated, so never the application's) are detached from the
 * root handlers and routed into the agent's log: an unreachable collector then costs one quiet line per cause, not a
 * SEVERE line per batch. The console exporter's output is passed through as it is: printing spans is its job.
 */
final class SdkLogBridge {
  // java.util.logging holds loggers weakly; these references keep our settings alive.
  private static Logger sdkLogger;
  private static Logger consoleExporterLogger;

  private SdkLogBridge() {}

  static synchronized void install() {
    if (sdkLogger != null) {
      return;
    }
    String sdkPackage = OpenTelemetrySdk.class.getPackageName(); // relocated in the agent jar
    String prefix = sdkPackage.substring(0, sdkPackage.length() - ".sdk".length());
    sdkLogger = Logger.getLogger(prefix);
    sdkLogger.setUseParentHandlers(false);
    sdkLogger.setLevel(AgentLog.isDebug() ? Level.FINE : Level.WARNING);
    sdkLogger.addHandler(new AgentLogHandler(prefix + ".exporter.logging"));
    consoleExporterLogger = Logger.getLogger(prefix + ".exporter.logging");
    consoleExporterLogger.setLevel(Level.INFO);
  }

  private static final class AgentLogHandler extends Handler {
    // The SDK's own rate limiter announcing itself: a second line for a cause we already log once.
    private static final String THROTTLING_NOTICE = "Too many log messages detected";
    private final String consoleExporterPrefix;
    private final SimpleFormatter formatter = new SimpleFormatter();

    AgentLogHandler(String consoleExporterPrefix) {
      this.consoleExporterPrefix = consoleExporterPrefix;
    }

    @Override
    public void publish(LogRecord record) {
      String message = formatter.formatMessage(record);
      String logger = String.valueOf(record.getLoggerName());
      if (logger.startsWith(consoleExporterPrefix)) {
        System.err.println(message);
      } else if (record.getLevel().intValue() >= Level.WARNING.intValue()
          && !message.startsWith(THROTTLING_NOTICE)) {
        // One cause whatever the batch: "Failed to export 5 spans" and "… 6 spans" are the same failure.
        int sentence = message.indexOf('.');
        String firstSentence = sentence > 0 ? message.substring(0, sentence) : message;
        String cause = logger + ":" + firstSentence.replaceAll("\\d+", "#");
        // The message can quote the collector's response body: no control characters reach the app's stderr.
        AgentLog.warnOnce(cause, "opentelemetry: " + message.replaceAll("\\p{Cntrl}", "?"));
      } else {
        AgentLog.debug(message);
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
