package dev.tracelight.collector.config;

import java.util.Map;

/**
 * The collector's value expansion: {@code ${env:VAR}}, {@code ${VAR}}, {@code ${env:VAR:-default}}, and {@code $$} for a
 * literal {@code $}. A bare {@code $VAR} is left as it is (the collector dropped that form). An unset variable without
 * default expands to the empty string, as in the collector, with a warning.
 */
final class EnvExpansion {
  private final Map<String, String> env;

  EnvExpansion(Map<String, String> env) {
    this.env = env;
  }

  String expand(String value, String path, Problems problems) {
    if (value.indexOf('$') < 0) {
      return value;
    }
    StringBuilder out = new StringBuilder(value.length());
    int i = 0;
    while (i < value.length()) {
      char c = value.charAt(i);
      if (c == '$' && i + 1 < value.length() && value.charAt(i + 1) == '$') {
        out.append('$');
        i += 2;
      } else if (c == '$' && i + 1 < value.length() && value.charAt(i + 1) == '{') {
        int end = value.indexOf('}', i + 2);
        if (end < 0) {
          problems.error(path, "unterminated ${ in \"" + value + "\" (expected ${env:VAR}, ${VAR} or ${env:VAR:-default}; "
              + "write $$ for a literal $)");
          return value;
        }
        out.append(resolve(value.substring(i + 2, end), path, problems));
        i = end + 1;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private String resolve(String ref, String path, Problems problems) {
    String name = ref;
    int colon = ref.indexOf(':');
    if (colon >= 0 && !ref.startsWith("env:") && ref.indexOf(":-") != colon) {
      problems.error(path, "unsupported config provider \"" + ref.substring(0, colon) + "\" in ${" + ref
          + "} (supported: env, as ${env:VAR} or ${env:VAR:-default})");
      return "";
    }
    if (ref.startsWith("env:")) {
      name = ref.substring(4);
    }
    String fallback = null;
    int dflt = name.indexOf(":-");
    if (dflt >= 0) {
      fallback = name.substring(dflt + 2);
      name = name.substring(0, dflt);
    }
    if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      problems.error(path, "invalid environment variable name \"" + name + "\" in ${" + ref + "}");
      return "";
    }
    String v = env.get(name);
    if (v != null && !(v.isEmpty() && fallback != null)) {
      return v;
    }
    if (fallback != null) {
      return fallback;
    }
    problems.warn(path, "environment variable " + name + " is not set; using an empty value");
    return "";
  }
}
