package dev.tracelight.agent.runtimemetrics;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.tracelight.bootstrap.AgentLog;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.Meter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * {@code jvm.gc.duration}: one measurement per collection, from the notification each collector sends. The listener is
 * registered at premain, before the SDK is built (on its own thread), so collections of the application's start are
 * kept until the histogram exists, then recorded.
 */
final class GcDurations {
  static final AttributeKey<String> GC_NAME = AttributeKey.stringKey("jvm.gc.name");
  static final AttributeKey<String> GC_ACTION = AttributeKey.stringKey("jvm.gc.action");
  private static final List<Double> BUCKETS = List.of(0.01, 0.1, 1.0, 10.0);
  /** More collections than any start-up makes before the SDK is ready (~0.3 s); beyond it the oldest are kept. */
  private static final int MAX_EARLY = 256;

  private final List<Collection> early = new ArrayList<>(); // guarded by this
  private volatile DoubleHistogram duration; // set once, under the lock that guards early

  private GcDurations() {}

  /** Starts listening; returns null if this JVM sends no GC notifications (jdk.management absent). */
  static GcDurations listen() {
    GcDurations durations = new GcDurations();
    NotificationListener listener = (notification, handback) -> {
      if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
        GarbageCollectionNotificationInfo info =
            GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        durations.record(info.getGcInfo().getDuration() / 1000.0,
            Attributes.of(GC_NAME, info.getGcName(), GC_ACTION, info.getGcAction()));
      }
    };
    try {
      for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
        if (collector instanceof NotificationEmitter) {
          ((NotificationEmitter) collector).addNotificationListener(listener, null, null);
        }
      }
      return durations;
    } catch (LinkageError e) {
      AgentLog.debug("runtime-telemetry: no GC notifications; jvm.gc.duration is not reported (" + e + ")");
      return null;
    }
  }

  /** Creates the histogram on {@code meter} and records the collections seen so far into it. */
  void startRecording(Meter meter) {
    DoubleHistogram histogram = meter.histogramBuilder("jvm.gc.duration")
        .setDescription("Duration of JVM garbage collection actions.").setUnit("s")
        .setExplicitBucketBoundariesAdvice(BUCKETS).build();
    synchronized (this) {
      for (Collection collection : early) {
        histogram.record(collection.seconds, collection.attributes);
      }
      early.clear();
      duration = histogram;
    }
  }

  private void record(double seconds, Attributes attributes) {
    DoubleHistogram histogram = duration;
    if (histogram == null) {
      synchronized (this) {
        histogram = duration;
        if (histogram == null) {
          if (early.size() < MAX_EARLY) {
            early.add(new Collection(seconds, attributes));
          }
          return;
        }
      }
    }
    histogram.record(seconds, attributes);
  }

  /** A collection heard before the histogram existed. */
  private static final class Collection {
    final double seconds;
    final Attributes attributes;

    Collection(double seconds, Attributes attributes) {
      this.seconds = seconds;
      this.attributes = attributes;
    }
  }
}
