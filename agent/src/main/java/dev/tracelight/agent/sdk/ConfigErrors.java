package dev.tracelight.agent.sdk;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns an autoconfigure failure into a message naming the setting as the user wrote it (variable or property). */
final class ConfigErrors {
  private static final Pattern PROPERTY = Pattern.compile("otel\\.[a-z0-9._-]*[a-z0-9]");

  private ConfigErrors() {}

  static String describe(Throwable error) {
    String message = String.valueOf(error.getMessage());
    Matcher matcher = PROPERTY.matcher(message);
    if (!matcher.find()) {
      return "invalid OpenTelemetry configuration: " + message + ".";
    }
    String property = matcher.group();
    String variable = property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    String name;
    String value;
    if (System.getProperty(property) != null) {
      name = "-D" + property;
      value = System.getProperty(property);
    } else {
      name = variable;
      value = System.getenv(variable);
    }
    return "invalid setting " + name + (value == null ? "" : "=" + value) + ": " + message + ".";
  }
}
