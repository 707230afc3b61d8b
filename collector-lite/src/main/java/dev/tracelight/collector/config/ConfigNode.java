package dev.tracelight.collector.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One YAML mapping being bound, with its key path. Each getter records the key as accepted; {@link #rejectUnknown()}
 * then reports every other key with the list of accepted ones, so unknown keys fail at start-up with what would work.
 * Type errors are recorded in {@link Problems} and the default is returned, so one run reports every problem.
 */
final class ConfigNode {
  private final String path;
  private final Map<String, Object> map;
  private final Problems problems;
  private final Set<String> accepted = new LinkedHashSet<>();

  ConfigNode(String path, Map<String, Object> map, Problems problems) {
    this.path = path;
    this.map = map;
    this.problems = problems;
  }

  /** Binds a value that should be a mapping (null and absent count as empty). */
  static ConfigNode of(String path, Object value, Problems problems) {
    if (value == null) {
      return new ConfigNode(path, Map.of(), problems);
    }
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> copy = new LinkedHashMap<>();
      m.forEach((k, v) -> copy.put(String.valueOf(k), v));
      return new ConfigNode(path, copy, problems);
    }
    problems.error(path, "expected a mapping of keys to values, found " + describe(value));
    return new ConfigNode(path, Map.of(), problems);
  }

  String path() {
    return path;
  }

  String path(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  Problems problems() {
    return problems;
  }

  boolean has(String key) {
    accepted.add(key);
    return map.containsKey(key);
  }

  Set<String> keys() {
    return map.keySet();
  }

  ConfigNode child(String key) {
    accepted.add(key);
    return of(path(key), map.get(key), problems);
  }

  Object raw(String key) {
    accepted.add(key);
    return map.get(key);
  }

  String string(String key, String fallback) {
    Object v = raw(key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Map || v instanceof List) {
      problems.error(path(key), "expected a single value, found " + describe(v));
      return fallback;
    }
    return String.valueOf(v);
  }

  long number(String key, long fallback, long min, long max) {
    String s = string(key, null);
    if (s == null || s.isEmpty()) {
      return fallback;
    }
    try {
      long n = Long.parseLong(s.trim());
      if (n < min || n > max) {
        problems.error(path(key), n + " is out of range (expected " + min + " to " + max + ")");
        return fallback;
      }
      return n;
    } catch (NumberFormatException e) {
      problems.error(path(key), "\"" + s + "\" is not a whole number (expected " + min + " to " + max + ")");
      return fallback;
    }
  }

  double decimal(String key, double fallback) {
    String s = string(key, null);
    if (s == null || s.isEmpty()) {
      return fallback;
    }
    try {
      return Double.parseDouble(s.trim());
    } catch (NumberFormatException e) {
      problems.error(path(key), "\"" + s + "\" is not a number");
      return fallback;
    }
  }

  boolean bool(String key, boolean fallback) {
    String s = string(key, null);
    if (s == null || s.isEmpty()) {
      return fallback;
    }
    if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(s);
    }
    problems.error(path(key), "\"" + s + "\" is not a boolean (expected true or false)");
    return fallback;
  }

  Duration duration(String key, Duration fallback) {
    String s = string(key, null);
    if (s == null || s.isEmpty()) {
      return fallback;
    }
    Duration d = GoDuration.parse(s);
    if (d == null) {
      problems.error(path(key), "\"" + s + "\" is not a duration (expected e.g. 200ms, 5s, 1m30s)");
      return fallback;
    }
    return d;
  }

  String oneOf(String key, String fallback, List<String> allowed) {
    String s = string(key, fallback);
    if (s != null && !allowed.contains(s)) {
      problems.error(path(key), "\"" + s + "\" is not supported (expected one of " + String.join(", ", allowed) + ")");
      return fallback;
    }
    return s;
  }

  List<String> strings(String key) {
    Object v = raw(key);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> list)) {
      problems.error(path(key), "expected a list, found " + describe(v));
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (Object o : list) {
      if (o instanceof Map || o instanceof List || o == null) {
        problems.error(path(key), "expected a list of single values, found " + describe(o));
      } else {
        out.add(String.valueOf(o));
      }
    }
    return out;
  }

  Map<String, String> stringMap(String key) {
    ConfigNode child = child(key);
    Map<String, String> out = new LinkedHashMap<>();
    for (String k : child.keys()) {
      out.put(k, child.string(k, ""));
    }
    return out;
  }

  /** Reports every key that no getter asked for. */
  void rejectUnknown() {
    for (String key : map.keySet()) {
      if (!accepted.contains(key)) {
        problems.error(path(key), "unknown key (accepted: " + String.join(", ", accepted) + ")");
      }
    }
  }

  private static String describe(Object v) {
    if (v == null) {
      return "nothing";
    }
    if (v instanceof Map) {
      return "a mapping";
    }
    if (v instanceof List) {
      return "a list";
    }
    return "\"" + v + "\"";
  }
}
