package dev.tracelight.bootstrap.logs;

import dev.tracelight.bootstrap.Suppression;
import dev.tracelight.bootstrap.Tracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.logs.LogRecordBuilder;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.context.Context;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Turns a logging library's event into an OpenTelemetry log record (exported when {@code OTEL_LOGS_EXPORTER} says so):
 * the logger name as instrumentation scope, severity, body, timestamp, the current trace context, thread and
 * exception attributes.
 */
public final class LogRecords {
  static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");
  static final AttributeKey<String> EXCEPTION_MESSAGE = AttributeKey.stringKey("exception.message");
  static final AttributeKey<String> EXCEPTION_STACKTRACE = AttributeKey.stringKey("exception.stacktrace");
  static final AttributeKey<String> THREAD_NAME = AttributeKey.stringKey("thread.name");
  static final AttributeKey<Long> THREAD_ID = AttributeKey.longKey("thread.id");

  private LogRecords() {}

  /**
   * @param loggerName the library's logger name, used as the instrumentation scope
   * @param levelName the level as the library spells it ({@code WARN}, {@code SEVERE}…)
   * @param epochMillis when the event happened, or 0 for now
   * @param error the logged exception, or null
   */
  public static void emit(String loggerName, Severity severity, String levelName, String body, long epochMillis,
      Throwable error) {
    Context context = Context.current();
    if (Suppression.isSuppressed(context)) {
      return;
    }
    LogRecordBuilder record = Tracing.openTelemetry().getLogsBridge()
        .get(loggerName == null || loggerName.isEmpty() ? "ROOT" : loggerName)
        .logRecordBuilder()
        .setContext(context)
        .setSeverity(severity)
        .setSeverityText(levelName);
    if (body != null) {
      record.setBody(body);
    }
    if (epochMillis > 0) {
      record.setTimestamp(epochMillis, TimeUnit.MILLISECONDS);
    } else {
      record.setTimestamp(Instant.now());
    }
    Thread thread = Thread.currentThread();
    record.setAttribute(THREAD_NAME, thread.getName());
    record.setAttribute(THREAD_ID, thread.getId());
    if (error != null) {
      record.setAttribute(EXCEPTION_TYPE, error.getClass().getName());
      if (error.getMessage() != null) {
        record.setAttribute(EXCEPTION_MESSAGE, error.getMessage());
      }
      StringWriter trace = new StringWriter();
      error.printStackTrace(new PrintWriter(trace));
      record.setAttribute(EXCEPTION_STACKTRACE, trace.toString());
    }
    record.emit();
  }

  /** Logback levels as numbers ({@code Level.toInt()}: TRACE 5000, DEBUG 10000 … ERROR 40000). */
  public static Severity severityOfLogback(int level) {
    if (level >= 40000) {
      return Severity.ERROR;
    }
    if (level >= 30000) {
      return Severity.WARN;
    }
    if (level >= 20000) {
      return Severity.INFO;
    }
    return level >= 10000 ? Severity.DEBUG : Severity.TRACE;
  }

  /** Log4j 2 levels as numbers ({@code Level.intLevel()}: FATAL 100, ERROR 200 … TRACE 600; lower is worse). */
  public static Severity severityOfLog4j(int level) {
    if (level <= 100) {
      return Severity.FATAL;
    }
    if (level <= 200) {
      return Severity.ERROR;
    }
    if (level <= 300) {
      return Severity.WARN;
    }
    if (level <= 400) {
      return Severity.INFO;
    }
    return level <= 500 ? Severity.DEBUG : Severity.TRACE;
  }

  /** java.util.logging levels ({@code Level.intValue()}: SEVERE 1000, WARNING 900, INFO 800, CONFIG 700, FINE 500…). */
  public static Severity severityOfJul(int level) {
    if (level >= 1000) {
      return Severity.ERROR;
    }
    if (level >= 900) {
      return Severity.WARN;
    }
    if (level >= 800) {
      return Severity.INFO;
    }
    if (level >= 700) {
      return Severity.DEBUG2; // CONFIG
    }
    return level >= 500 ? Severity.DEBUG : Severity.TRACE;
  }
}
