package dev.tracelight.collector.telemetry;

import java.io.PrintStream;
import java.time.Instant;

/**
 * The collector's log: one line per event on stderr. Not java.util.logging on purpose: its LogManager resets its
 * handlers in a JVM shutdown hook, which would swallow the lines that say what a SIGTERM drain left behind.
 */
public final class Log {
  public enum Level {
    DEBUG,
    INFO,
    WARN,
    ERROR
  }

  private static volatile Level threshold = Level.INFO;
  private static volatile PrintStream out = System.err;

  private Log() {}

  public static void setLevel(Level level) {
    threshold = level;
  }

  /** Where lines go (stderr unless a test or an embedding program says otherwise). */
  public static void setOutput(PrintStream stream) {
    out = stream;
  }

  public static boolean enabled(Level level) {
    return level.compareTo(threshold) >= 0;
  }

  public static void debug(String message) {
    write(Level.DEBUG, message);
  }

  public static void info(String message) {
    write(Level.INFO, message);
  }

  public static void warn(String message) {
    write(Level.WARN, message);
  }

  public static void error(String message) {
    write(Level.ERROR, message);
  }

  private static void write(Level level, String message) {
    if (enabled(level)) {
      out.println(Instant.now() + " " + level + " " + message);
    }
  }
}
