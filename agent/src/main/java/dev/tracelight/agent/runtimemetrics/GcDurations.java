package dev.tracelight.agent.runtimemetrics;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.tracelight.bootstrap.AgentLog;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.Meter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/** {@code jvm.gc.duration}: one measurement per collection, from the notification each collector sends. */
final class GcDurations {
  static final AttributeKey<String> GC_NAME = AttributeKey.stringKey("jvm.gc.name");
  static final AttributeKey<String> GC_ACTION = AttributeKey.stringKey("jvm.gc.action");
  private static final List<Double> BUCKETS = List.of(0.01, 0.1, 1.0, 10.0);

  private GcDurations() {}

  static void register(Meter meter) {
    DoubleHistogram duration = meter.histogramBuilder("jvm.gc.duration")
        .setDescription("Duration of JVM garbage collection actions.").setUnit("s")
        .setExplicitBucketBoundariesAdvice(BUCKETS).build();
    NotificationListener listener = (notification, handback) -> {
      if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
        GarbageCollectionNotificationInfo info =
            GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        duration.record(info.getGcInfo().getDuration() / 1000.0,
            Attributes.of(GC_NAME, info.getGcName(), GC_ACTION, info.getGcAction()));
      }
    };
    try {
      for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
        if (collector instanceof NotificationEmitter) {
          ((NotificationEmitter) collector).addNotificationListener(listener, null, null);
        }
      }
    } catch (LinkageError e) { // jdk.management absent
      AgentLog.debug("runtime-telemetry: no GC notifications; jvm.gc.duration is not reported (" + e + ")");
    }
  }
}
