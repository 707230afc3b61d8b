package dev.tracelight.bootstrap;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's one logger: every line starts with {@code [tracelight]} and goes to stderr. Quiet by default (errors and
 * warnings only, each cause once); {@code OTEL_JAVAAGENT_DEBUG=true} adds debug lines and repeats. It writes to stderr
 * directly, not through java.util.logging, so the agent never configures or initializes the application's logging.
 */
public final class AgentLog {
  private static final String PREFIX = "[tracelight] ";
  private static final boolean DEBUG = Boolean.parseBoolean(setting("otel.javaagent.debug"));
  private static final Set<String> LOGGED_CAUSES = ConcurrentHashMap.newKeySet();

  private AgentLog() {}

  public static boolean isDebug() {
    return DEBUG;
  }

  public static void debug(String message) {
    if (DEBUG) {
      print("DEBUG", message, null);
    }
  }

  public static void info(String message) {
    if (DEBUG) {
      print("INFO", message, null);
    }
  }

  /** Logs a warning the first time {@code cause} is seen; later ones only in debug mode. */
  public static void warnOnce(String cause, String message) {
    warnOnce(cause, message, null);
  }

  /** Like {@link #warnOnce(String, String)}, naming the error (its stack trace only in debug mode). */
  public static void warnOnce(String cause, String message, Throwable error) {
    if (LOGGED_CAUSES.add(cause) || DEBUG) {
      print("WARN", message, error);
    }
  }

  /** Logs an error the first time {@code cause} is seen; the stack trace only in debug mode. */
  public static void errorOnce(String cause, String message, Throwable error) {
    if (LOGGED_CAUSES.add(cause) || DEBUG) {
      print("ERROR", message, error);
    }
  }

  /**
   * Reads an agent setting the way the OpenTelemetry SDK does: the system property {@code name}, else the environment
   * variable derived from it ({@code otel.javaagent.debug} → {@code OTEL_JAVAAGENT_DEBUG}).
   */
  public static String setting(String name) {
    String value = System.getProperty(name);
    if (value == null) {
      value = System.getenv(name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
    }
    return value == null ? null : value.trim();
  }

  private static void print(String level, String message, Throwable error) {
    StringBuilder line = new StringBuilder(PREFIX).append(level).append(' ').append(message);
    if (error != null && !DEBUG) {
      line.append(" (").append(error).append(')');
    }
    System.err.println(line);
    if (error != null && DEBUG) {
      error.printStackTrace();
    }
  }
}
