package dev.tracelight.bootstrap.http;

import java.util.List;
import java.util.Map;

/** A header's values from a library's map, whatever the case of its name there. */
final class HeaderLookup {
  /** Maps whose {@code get} already ignores case (the JDK server's {@code Headers}): a miss there needs no scan. */
  private static final ClassValue<Boolean> IGNORES_CASE = new ClassValue<>() {
    @Override
    protected Boolean computeValue(Class<?> type) {
      for (Class<?> c = type; c != null; c = c.getSuperclass()) {
        if ("com.sun.net.httpserver.Headers".equals(c.getName())) {
          return true;
        }
      }
      return false;
    }
  };

  private HeaderLookup() {}

  static List<String> all(Map<String, List<String>> carrier, String key) {
    if (carrier == null) {
      return null;
    }
    List<String> values = carrier.get(key);
    if (values == null && !IGNORES_CASE.get(carrier.getClass())) {
      // equalsIgnoreCase, not a lower-cased copy of each name, keeps it free of allocation
      for (Map.Entry<String, List<String>> entry : carrier.entrySet()) {
        if (key.equalsIgnoreCase(entry.getKey())) {
          values = entry.getValue();
          break;
        }
      }
    }
    return values;
  }
}
