package dev.tracelight.e2e;

import java.util.Map;

/**
 * Kubernetes' {@code $(VAR)} expansion in env values, command and args: a reference to a variable defined earlier is
 * replaced by its value, {@code $$} is a literal {@code $}, and a reference to an unknown variable stays as written.
 */
final class EnvExpansion {
  private EnvExpansion() {
  }

  static String expand(String input, Map<String, String> defined) {
    StringBuilder out = new StringBuilder(input.length());
    int i = 0;
    while (i < input.length()) {
      char c = input.charAt(i);
      if (c != '$' || i + 1 == input.length()) {
        out.append(c);
        i++;
      } else if (input.charAt(i + 1) == '$') {
        out.append('$');
        i += 2;
      } else if (input.charAt(i + 1) == '(') {
        int close = input.indexOf(')', i + 2);
        if (close < 0) {
          out.append(input, i, input.length());
          break;
        }
        String name = input.substring(i + 2, close);
        String value = defined.get(name);
        out.append(value != null ? value : "$(" + name + ")");
        i = close + 1;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }
}
