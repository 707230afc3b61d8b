package dev.tracelight.collector.traceview;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Recent spans grouped by trace, in memory and bounded: never more than {@code maxTraces} traces nor {@code maxSpans}
 * spans, however much arrives. Traces are kept in the order their first span arrived, and the oldest go first — when a
 * new trace needs room, when spans need room, and when their first span is older than the ttl. A trace is an open set:
 * spans of it may come in any order (children before parents) and in any number of batches; a span sent twice (a client
 * retry) is stored once.
 *
 * <p>One lock guards everything: writers are the exporter's queue consumers, readers the HTTP threads, and every
 * operation is short. Readers get copies.
 */
public final class TraceStore {
  static final String UNKNOWN_SERVICE = "unknown_service";
  private static final HexFormat HEX = HexFormat.of();

  private final int maxTraces;
  private final int maxSpans;
  private final Duration ttl;
  private final InstantSource clock;
  private final LinkedHashMap<String, Trace> traces = new LinkedHashMap<>();
  private int spanCount;
  private long evictedTraces;
  private long droppedSpans;

  private TraceStore(int maxTraces, int maxSpans, Duration ttl, InstantSource clock) {
    if (maxTraces < 1 || maxSpans < 1 || ttl.isNegative()) {
      throw new IllegalArgumentException("maxTraces and maxSpans must be at least 1 and ttl not negative");
    }
    this.maxTraces = maxTraces;
    this.maxSpans = maxSpans;
    this.ttl = ttl;
    this.clock = clock;
  }

  /** @param ttl how long a trace is kept after its first span arrived; zero keeps it until it is evicted for room */
  public static TraceStore create(int maxTraces, int maxSpans, Duration ttl) {
    return new TraceStore(maxTraces, maxSpans, ttl, InstantSource.system());
  }

  static TraceStore create(int maxTraces, int maxSpans, Duration ttl, InstantSource clock) {
    return new TraceStore(maxTraces, maxSpans, ttl, clock);
  }

  /** Stores every span of the request; spans without a valid trace or span id are counted as dropped. */
  public void add(ExportTraceServiceRequest request) {
    // encoding each span happens outside the lock, so readers do not wait for it
    List<StoredSpan> spans = new ArrayList<>();
    int invalid = 0;
    for (ResourceSpans rs : request.getResourceSpansList()) {
      Resource resource = rs.getResource();
      String service = serviceName(resource);
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span span : ss.getSpansList()) {
          if (span.getTraceId().size() != 16 || span.getSpanId().size() != 8) {
            invalid++;
            continue;
          }
          String parent = span.getParentSpanId().size() == 8 ? HEX.formatHex(span.getParentSpanId().toByteArray()) : "";
          spans.add(StoredSpan.of(HEX.formatHex(span.getTraceId().toByteArray()),
              HEX.formatHex(span.getSpanId().toByteArray()), parent, service, span, resource, ss.getScope()));
        }
      }
    }
    store(spans, invalid);
  }

  /** The traces matching the query, newest (by start time) first. */
  synchronized List<TraceSummary> find(TraceQuery query) {
    expire(clock.instant());
    long minNanos = query.minDuration().toNanos();
    List<Trace> matching = new ArrayList<>();
    for (Trace t : traces.values()) {
      boolean matches = (query.service() == null || t.services.contains(query.service()))
          && t.durationNanos() >= minNanos
          && (query.error() == null || query.error() == (t.errorCount > 0));
      if (matches) {
        matching.add(t);
      }
    }
    matching.sort(Comparator.comparingLong((Trace t) -> t.startNanos).reversed());
    return matching.stream().limit(query.limit()).map(Trace::summary).toList();
  }

  /** One trace with its spans in order of their start time, or empty if the store does not hold it. */
  synchronized Optional<StoredTrace> trace(String traceId) {
    expire(clock.instant());
    Trace t = traces.get(traceId);
    if (t == null) {
      return Optional.empty();
    }
    List<StoredSpan> spans = t.spans.values().stream().sorted(Comparator.comparingLong(StoredSpan::startNanos))
        .toList();
    return Optional.of(new StoredTrace(t.summary(), spans));
  }

  /** Every service with a span in the store, sorted by name. */
  synchronized List<String> services() {
    expire(clock.instant());
    Set<String> all = new TreeSet<>();
    traces.values().forEach(t -> all.addAll(t.services));
    return List.copyOf(all);
  }

  /** How full the store is, and what it had to let go. */
  synchronized Usage usage() {
    expire(clock.instant());
    return new Usage(traces.size(), spanCount, maxTraces, maxSpans, evictedTraces, droppedSpans);
  }

  /**
   * @param evictedTraces traces removed to make room or because of the ttl
   * @param droppedSpans spans not stored: no valid ids, or one trace alone filled max_spans
   */
  record Usage(int traces, int spans, int maxTraces, int maxSpans, long evictedTraces, long droppedSpans) {}

  private synchronized void store(List<StoredSpan> spans, int invalid) {
    Instant now = clock.instant();
    expire(now);
    droppedSpans += invalid;
    for (StoredSpan span : spans) {
      store(span, now);
    }
  }

  private void store(StoredSpan span, Instant now) {
    Trace trace = traces.get(span.traceId());
    if (trace == null) {
      if (traces.size() >= maxTraces) {
        evictOldestExcept(null);
      }
      trace = new Trace(span.traceId(), now);
      traces.put(trace.id, trace);
    }
    StoredSpan previous = trace.spans.get(span.spanId());
    if (previous == null) {
      while (spanCount >= maxSpans && evictOldestExcept(trace)) {
        // each round frees the spans of one older trace
      }
      if (spanCount >= maxSpans) {
        trace.droppedSpans++;
        droppedSpans++;
        return;
      }
      spanCount++;
    }
    trace.put(span, previous);
  }

  /** Removes the oldest trace other than {@code keep}; false if there is none. */
  private boolean evictOldestExcept(Trace keep) {
    for (Iterator<Trace> it = traces.values().iterator(); it.hasNext(); ) {
      Trace t = it.next();
      if (t != keep) {
        it.remove();
        spanCount -= t.spans.size();
        evictedTraces++;
        return true;
      }
    }
    return false;
  }

  private void expire(Instant now) {
    if (ttl.isZero()) {
      return;
    }
    Instant cutoff = now.minus(ttl);
    for (Iterator<Trace> it = traces.values().iterator(); it.hasNext(); ) {
      Trace t = it.next();
      if (t.firstSeen.isAfter(cutoff)) {
        return; // first-seen order: every later trace is younger
      }
      it.remove();
      spanCount -= t.spans.size();
      evictedTraces++;
    }
  }

  private static String serviceName(Resource resource) {
    for (KeyValue kv : resource.getAttributesList()) {
      if (kv.getKey().equals("service.name") && kv.getValue().hasStringValue()) {
        return kv.getValue().getStringValue();
      }
    }
    return UNKNOWN_SERVICE;
  }

  /** One trace's spans and the aggregates the list filters on, kept up to date as spans arrive. */
  private static final class Trace {
    final String id;
    final Instant firstSeen;
    final Map<String, StoredSpan> spans = new LinkedHashMap<>();
    final Set<String> services = new LinkedHashSet<>();
    long startNanos = Long.MAX_VALUE;
    long endNanos = Long.MIN_VALUE;
    int errorCount;
    long droppedSpans;

    Trace(String id, Instant firstSeen) {
      this.id = id;
      this.firstSeen = firstSeen;
    }

    void put(StoredSpan span, StoredSpan previous) {
      spans.put(span.spanId(), span);
      services.add(span.service());
      startNanos = Math.min(startNanos, span.startNanos());
      endNanos = Math.max(endNanos, span.endNanos());
      errorCount += (span.error() ? 1 : 0) - (previous != null && previous.error() ? 1 : 0);
    }

    long durationNanos() {
      return endNanos - startNanos;
    }

    TraceSummary summary() {
      StoredSpan root = null;
      for (StoredSpan s : spans.values()) {
        if (isRoot(s) && (root == null || rank(s) < rank(root)
            || rank(s) == rank(root) && s.startNanos() < root.startNanos())) {
          root = s;
        }
      }
      if (root == null) { // parent ids that form a cycle: show the earliest span
        root = spans.values().stream().min(Comparator.comparingLong(StoredSpan::startNanos)).orElseThrow();
      }
      return new TraceSummary(id, root.service(), root.name(), startNanos, durationNanos(), spans.size(),
          List.copyOf(services), errorCount, droppedSpans);
    }

    /** A real root (no parent id) wins over a span whose parent has not arrived (yet). */
    private int rank(StoredSpan s) {
      return s.parentSpanId().isEmpty() ? 0 : 1;
    }

    private boolean isRoot(StoredSpan s) {
      return s.parentSpanId().isEmpty() || !spans.containsKey(s.parentSpanId());
    }
  }
}
