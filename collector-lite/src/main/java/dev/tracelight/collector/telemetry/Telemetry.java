package dev.tracelight.collector.telemetry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The collector's own metrics, named as the OpenTelemetry Collector names them ({@code otelcol_receiver_accepted_spans},
 * {@code otelcol_exporter_queue_size}, ...) and rendered in the Prometheus text format.
 */
public final class Telemetry {
  private final Map<String, Family> families = new ConcurrentHashMap<>();

  private Telemetry() {}

  public static Telemetry create() {
    return new Telemetry();
  }

  /** A counter; labels as alternating name, value. The same name and labels give the same counter. */
  public Counter counter(String name, String help, String... labels) {
    Family f = families.computeIfAbsent(name, n -> new Family(n, help, "counter"));
    return (Counter) f.series.computeIfAbsent(labelText(labels), l -> new Counter());
  }

  public void gauge(String name, String help, LongSupplier value, String... labels) {
    Family f = families.computeIfAbsent(name, n -> new Family(n, help, "gauge"));
    f.series.put(labelText(labels), value);
  }

  /** Current value of a series, for tests and log lines; 0 when absent. */
  public long value(String name, String... labels) {
    Family f = families.get(name);
    Object s = f == null ? null : f.series.get(labelText(labels));
    return s instanceof Counter c ? c.get() : s instanceof LongSupplier g ? g.getAsLong() : 0;
  }

  public String prometheusText() {
    StringBuilder out = new StringBuilder();
    for (Family f : new TreeMap<>(families).values()) {
      out.append("# HELP ").append(f.name).append(' ').append(f.help).append('\n');
      out.append("# TYPE ").append(f.name).append(' ').append(f.type).append('\n');
      for (Map.Entry<String, Object> s : new TreeMap<>(f.series).entrySet()) {
        long v = s.getValue() instanceof Counter c ? c.get() : ((LongSupplier) s.getValue()).getAsLong();
        out.append(f.name).append(s.getKey()).append(' ').append(v).append('\n');
      }
    }
    return out.toString();
  }

  private static String labelText(String... labels) {
    if (labels.length == 0) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    for (int i = 0; i + 1 < labels.length; i += 2) {
      String value = labels[i + 1].replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
      parts.add(labels[i] + "=\"" + value + "\"");
    }
    return "{" + String.join(",", parts) + "}";
  }

  /** A monotonic count. */
  public static final class Counter {
    private final LongAdder adder = new LongAdder();

    public void add(long n) {
      adder.add(n);
    }

    public long get() {
      return adder.sum();
    }
  }

  private static final class Family {
    final String name;
    final String help;
    final String type;
    final Map<String, Object> series = new ConcurrentHashMap<>();

    Family(String name, String help, String type) {
      this.name = name;
      this.help = help;
      this.type = type;
    }
  }

}
