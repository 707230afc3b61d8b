package dev.tracelight.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** JVM runtime metrics of {@code it.runtimemetrics.BusyApp} at the OTLP receiver: names, units, attributes, values. */
class RuntimeMetricsIT {
  private static final Set<String> THREAD_STATES =
      Set.of("new", "runnable", "blocked", "waiting", "timed_waiting", "terminated");

  @Test
  void exportsStableJvmMetricsAtTheConfiguredInterval() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.httpProtobuf()) {
      ForkedApp.Result result = ForkedApp.testMain("dev.tracelight.agent.it.runtimemetrics.BusyApp", List.of(),
              "3500")
          .exportingTo(receiver)
          .env("OTEL_METRICS_EXPORTER", "otlp")
          // not shorter: the SDK also bounds each export by the interval, and warns when one takes longer
          .env("OTEL_METRIC_EXPORT_INTERVAL", "1000")
          .run();
      assertThat(result.exitCode()).as(result.stderr()).isZero();
      // a loaded machine can make one export outlast the interval, which the SDK reports: not this test's concern
      assertThat(result.agentLogLines()).filteredOn(line -> !line.contains("Exporter timed out")).isEmpty();

      List<ResourceMetrics> exports = receiver.metrics();
      // periodic exports while the app sleeps 3.5 s at a 1 s interval, plus the one at exit
      assertThat(exports.stream().filter(RuntimeMetricsIT::hasJvmMetrics).count()).isGreaterThanOrEqualTo(3);
      Map<String, Metric> last = lastOfEach(exports);
      assertThat(last.keySet()).contains("jvm.memory.used", "jvm.memory.committed", "jvm.memory.limit",
          "jvm.memory.used_after_last_gc", "jvm.gc.duration", "jvm.thread.count", "jvm.class.loaded",
          "jvm.class.unloaded", "jvm.class.count", "jvm.cpu.time", "jvm.cpu.count", "jvm.cpu.recent_utilization");
      Map<String, String> units = new LinkedHashMap<>();
      last.forEach((name, metric) -> units.put(name, metric.getUnit()));
      assertThat(units).containsEntry("jvm.memory.used", "By").containsEntry("jvm.memory.committed", "By")
          .containsEntry("jvm.memory.limit", "By").containsEntry("jvm.gc.duration", "s")
          .containsEntry("jvm.thread.count", "{thread}").containsEntry("jvm.class.loaded", "{class}")
          .containsEntry("jvm.class.count", "{class}").containsEntry("jvm.cpu.time", "s")
          .containsEntry("jvm.cpu.count", "{cpu}").containsEntry("jvm.cpu.recent_utilization", "1");

      List<String[]> pools = result.stdout().lines().filter(line -> line.startsWith("POOL "))
          .map(line -> line.substring(5).split(" ", 3)).toList();
      Set<Map<String, Object>> allPools = pools.stream()
          .map(pool -> Map.<String, Object>of("jvm.memory.type", pool[0].equals("HEAP") ? "heap" : "non_heap",
              "jvm.memory.pool.name", pool[2]))
          .collect(Collectors.toSet());
      Set<Map<String, Object>> limitedPools = pools.stream().filter(pool -> !pool[1].equals("-1"))
          .map(pool -> Map.<String, Object>of("jvm.memory.type", pool[0].equals("HEAP") ? "heap" : "non_heap",
              "jvm.memory.pool.name", pool[2]))
          .collect(Collectors.toSet());
      assertThat(pointAttributes(last.get("jvm.memory.used"))).isEqualTo(allPools);
      assertThat(pointAttributes(last.get("jvm.memory.committed"))).isEqualTo(allPools);
      assertThat(pointAttributes(last.get("jvm.memory.limit"))).isEqualTo(limitedPools);
      assertThat(sum(last.get("jvm.memory.used"))).isPositive();
      assertThat(last.get("jvm.memory.used").getSum().getIsMonotonic()).isFalse();

      Set<String> collectors = result.stdout().lines().filter(line -> line.startsWith("GC "))
          .map(line -> line.substring(3)).collect(Collectors.toSet());
      Metric gc = last.get("jvm.gc.duration");
      assertThat(gc.getHistogram().getDataPointsList()).isNotEmpty().allSatisfy(point -> {
        Map<String, Object> attributes = JdbcTracingIT.attributes(point.getAttributesList());
        assertThat(attributes.keySet()).containsExactlyInAnyOrder("jvm.gc.name", "jvm.gc.action");
        assertThat(collectors).contains((String) attributes.get("jvm.gc.name"));
        assertThat((String) attributes.get("jvm.gc.action")).startsWith("end of ");
        assertThat(point.getExplicitBoundsList()).containsExactly(0.01, 0.1, 1.0, 10.0);
        assertThat(point.getCount()).isPositive();
      });

      List<NumberDataPoint> threads = last.get("jvm.thread.count").getSum().getDataPointsList();
      assertThat(threads).allSatisfy(point -> {
        Map<String, Object> attributes = JdbcTracingIT.attributes(point.getAttributesList());
        assertThat(attributes.keySet()).containsExactlyInAnyOrder("jvm.thread.daemon", "jvm.thread.state");
        assertThat(THREAD_STATES).contains((String) attributes.get("jvm.thread.state"));
      });
      assertThat(threads).anySatisfy(point -> assertThat(JdbcTracingIT.attributes(point.getAttributesList()))
          .containsEntry("jvm.thread.state", "runnable")); // at least the reader that collects
      assertThat(sum(last.get("jvm.thread.count"))).isGreaterThanOrEqualTo(2);

      assertThat(sum(last.get("jvm.class.count"))).isPositive();
      assertThat(sum(last.get("jvm.class.loaded"))).isGreaterThanOrEqualTo(sum(last.get("jvm.class.count")));
      assertThat(last.get("jvm.class.loaded").getSum().getIsMonotonic()).isTrue();
      assertThat(last.get("jvm.class.loaded").getSum().getAggregationTemporality())
          .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
      assertThat(sum(last.get("jvm.cpu.count"))).isEqualTo(Double.parseDouble(result.line("CPUS=")));
      assertThat(last.get("jvm.cpu.time").getSum().getDataPoints(0).getAsDouble()).isPositive();
      assertThat(last.get("jvm.cpu.recent_utilization").getGauge().getDataPointsList())
          .allSatisfy(point -> assertThat(point.getAsDouble()).isBetween(0.0, 1.0));
    }
  }

  private static boolean hasJvmMetrics(ResourceMetrics export) {
    return export.getScopeMetricsList().stream().flatMap(scope -> scope.getMetricsList().stream())
        .anyMatch(metric -> metric.getName().equals("jvm.class.count"));
  }

  /** The last exported version of every metric of our scope. */
  private static Map<String, Metric> lastOfEach(List<ResourceMetrics> exports) {
    Map<String, Metric> last = new LinkedHashMap<>();
    for (ResourceMetrics export : exports) {
      for (ScopeMetrics scope : export.getScopeMetricsList()) {
        if (scope.getScope().getName().equals("dev.tracelight")) {
          scope.getMetricsList().forEach(metric -> last.put(metric.getName(), metric));
        }
      }
    }
    return last;
  }

  private static Set<Map<String, Object>> pointAttributes(Metric metric) {
    return metric.getSum().getDataPointsList().stream()
        .map(point -> JdbcTracingIT.attributes(point.getAttributesList())).collect(Collectors.toSet());
  }

  private static double sum(Metric metric) {
    return metric.getSum().getDataPointsList().stream()
        .mapToDouble(point -> point.hasAsInt() ? point.getAsInt() : point.getAsDouble()).sum();
  }
}
