package dev.tracelight.agent.runtimemetrics;

import dev.tracelight.bootstrap.AgentLog;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Memory pools, threads, classes and CPU as observable instruments (read when the metric reader collects, never on
 * an application thread), and GC pauses from the collectors' notifications ({@link GcDurations}).
 */
final class JvmMetrics {
  static final AttributeKey<String> MEMORY_TYPE = AttributeKey.stringKey("jvm.memory.type");
  static final AttributeKey<String> MEMORY_POOL = AttributeKey.stringKey("jvm.memory.pool.name");
  static final AttributeKey<Boolean> THREAD_DAEMON = AttributeKey.booleanKey("jvm.thread.daemon");
  static final AttributeKey<String> THREAD_STATE = AttributeKey.stringKey("jvm.thread.state");

  private JvmMetrics() {}

  static void register(Meter meter, GcDurations gcDurations) {
    List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans();
    memory(meter, "jvm.memory.used", "Measure of memory used.", pools, MemoryPoolMXBean::getUsage,
        MemoryUsage::getUsed);
    memory(meter, "jvm.memory.committed", "Measure of memory committed.", pools, MemoryPoolMXBean::getUsage,
        MemoryUsage::getCommitted);
    memory(meter, "jvm.memory.limit", "Measure of max obtainable memory.", pools, MemoryPoolMXBean::getUsage,
        MemoryUsage::getMax);
    memory(meter, "jvm.memory.used_after_last_gc",
        "Measure of memory used, as measured after the most recent garbage collection event on this pool.", pools,
        MemoryPoolMXBean::getCollectionUsage, MemoryUsage::getUsed);
    threads(meter, ManagementFactory.getThreadMXBean());
    classes(meter, ManagementFactory.getClassLoadingMXBean());
    cpu(meter, ManagementFactory.getOperatingSystemMXBean());
    if (gcDurations != null) {
      gcDurations.startRecording(meter);
    }
  }

  /** One point per pool; a pool without that reading (no limit: -1, no GC yet: null) has none. */
  private static void memory(Meter meter, String name, String description, List<MemoryPoolMXBean> pools,
      Function<MemoryPoolMXBean, MemoryUsage> usage, Function<MemoryUsage, Long> value) {
    Map<MemoryPoolMXBean, Attributes> attributes = new HashMap<>();
    for (MemoryPoolMXBean pool : pools) {
      attributes.put(pool, Attributes.of(MEMORY_TYPE, pool.getType() == MemoryType.HEAP ? "heap" : "non_heap",
          MEMORY_POOL, pool.getName()));
    }
    meter.upDownCounterBuilder(name).setDescription(description).setUnit("By").buildWithCallback(measurement -> {
      for (MemoryPoolMXBean pool : pools) {
        MemoryUsage reading = pool.isValid() ? usage.apply(pool) : null;
        long bytes = reading == null ? -1 : value.apply(reading);
        if (bytes >= 0) {
          measurement.record(bytes, attributes.get(pool));
        }
      }
    });
  }

  private static void threads(Meter meter, ThreadMXBean threadBean) {
    meter.upDownCounterBuilder("jvm.thread.count").setDescription("Number of executing platform threads.")
        .setUnit("{thread}").buildWithCallback(measurement -> {
          Map<Attributes, Long> counts = new HashMap<>();
          for (ThreadInfo info : threadBean.getThreadInfo(threadBean.getAllThreadIds())) {
            if (info != null) { // ended since the ids were read
              Attributes key = Attributes.of(THREAD_DAEMON, info.isDaemon(),
                  THREAD_STATE, info.getThreadState().name().toLowerCase(Locale.ROOT));
              counts.merge(key, 1L, Long::sum);
            }
          }
          counts.forEach((key, count) -> measurement.record(count, key));
        });
  }

  private static void classes(Meter meter, ClassLoadingMXBean classBean) {
    meter.counterBuilder("jvm.class.loaded").setDescription("Number of classes loaded since JVM start.")
        .setUnit("{class}").buildWithCallback(measurement -> measurement.record(classBean.getTotalLoadedClassCount()));
    meter.counterBuilder("jvm.class.unloaded").setDescription("Number of classes unloaded since JVM start.")
        .setUnit("{class}").buildWithCallback(measurement -> measurement.record(classBean.getUnloadedClassCount()));
    meter.upDownCounterBuilder("jvm.class.count").setDescription("Number of classes currently loaded.")
        .setUnit("{class}").buildWithCallback(measurement -> measurement.record(classBean.getLoadedClassCount()));
  }

  private static void cpu(Meter meter, OperatingSystemMXBean osBean) {
    meter.upDownCounterBuilder("jvm.cpu.count")
        .setDescription("Number of processors available to the Java virtual machine.").setUnit("{cpu}")
        .buildWithCallback(measurement -> measurement.record(Runtime.getRuntime().availableProcessors()));
    if (!isHotSpotOperatingSystemBean(osBean)) {
      AgentLog.debug("runtime-telemetry: no com.sun.management.OperatingSystemMXBean; jvm.cpu.time and "
          + "jvm.cpu.recent_utilization are not reported");
      return;
    }
    com.sun.management.OperatingSystemMXBean hotSpot = (com.sun.management.OperatingSystemMXBean) osBean;
    meter.counterBuilder("jvm.cpu.time").ofDoubles().setDescription("CPU time used by the process as reported by the JVM.")
        .setUnit("s").buildWithCallback(measurement -> {
          long nanos = hotSpot.getProcessCpuTime();
          if (nanos >= 0) {
            measurement.record(nanos / 1e9);
          }
        });
    meter.gaugeBuilder("jvm.cpu.recent_utilization")
        .setDescription("Recent CPU utilization for the process as reported by the JVM.").setUnit("1")
        .buildWithCallback(measurement -> {
          double load = hotSpot.getProcessCpuLoad();
          if (load >= 0) { // negative: not available yet
            measurement.record(load);
          }
        });
  }

  /** jdk.management may be left out of a jlink'd runtime. */
  private static boolean isHotSpotOperatingSystemBean(OperatingSystemMXBean osBean) {
    try {
      return osBean instanceof com.sun.management.OperatingSystemMXBean;
    } catch (LinkageError e) {
      return false;
    }
  }
}
