package dev.tracelight.collector.traceview;

import static dev.tracelight.collector.traceview.SpanFixtures.error;
import static dev.tracelight.collector.traceview.SpanFixtures.request;
import static dev.tracelight.collector.traceview.SpanFixtures.span;
import static dev.tracelight.collector.traceview.SpanFixtures.spanId;
import static dev.tracelight.collector.traceview.SpanFixtures.traceId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TraceStoreTest {
  private final MutableClock clock = new MutableClock();

  @Test
  void groupsSpansOfOneTraceArrivingInSeveralBatches() {
    TraceStore store = TraceStore.create(10, 100, Duration.ZERO, clock);

    store.add(request("frontend", span(1, 1, 0, "GET /checkout", 0, 100), span(2, 7, 0, "GET /health", 5, 6)));
    store.add(request("checkout", span(1, 2, 1, "POST /orders", 10, 80)));
    store.add(request("payments", span(1, 3, 2, "charge", 20, 60)));

    StoredTrace trace = store.trace(traceId(1)).orElseThrow();
    assertThat(trace.spans()).extracting(StoredSpan::spanId, StoredSpan::parentSpanId, StoredSpan::service)
        .containsExactly(
            tuple(spanId(1), "", "frontend"),
            tuple(spanId(2), spanId(1), "checkout"),
            tuple(spanId(3), spanId(2), "payments"));
    assertThat(trace.summary()).isEqualTo(new TraceSummary(traceId(1), "frontend", "GET /checkout",
        SpanFixtures.T0, 100_000_000, 3, List.of("frontend", "checkout", "payments"), 0, 0));
    assertThat(store.usage().traces()).isEqualTo(2);
    assertThat(store.usage().spans()).isEqualTo(4);
  }

  @Test
  void takesTheParentAsRootWhenItArrivesAfterItsChildren() {
    TraceStore store = TraceStore.create(10, 100, Duration.ZERO, clock);

    store.add(request("payments", span(1, 3, 2, "charge", 20, 60)));
    assertThat(store.trace(traceId(1)).orElseThrow().summary().rootName()).isEqualTo("charge");

    store.add(request("checkout", span(1, 2, 1, "POST /orders", 10, 80)));
    store.add(request("frontend", span(1, 1, 0, "GET /checkout", 0, 100)));

    StoredTrace trace = store.trace(traceId(1)).orElseThrow();
    assertThat(trace.summary().rootName()).isEqualTo("GET /checkout");
    assertThat(trace.summary().rootService()).isEqualTo("frontend");
    assertThat(trace.summary().startNanos()).isEqualTo(SpanFixtures.T0);
    assertThat(trace.summary().durationNanos()).isEqualTo(100_000_000);
    assertThat(trace.spans()).extracting(StoredSpan::name).containsExactly("GET /checkout", "POST /orders", "charge");
  }

  @Test
  void keepsAtMostMaxTracesAndEvictsTheOldestFirst() {
    TraceStore store = TraceStore.create(3, 100, Duration.ZERO, clock);

    for (int t = 1; t <= 5; t++) {
      store.add(request("svc", span(t, 1, 0, "op" + t, t, t + 1)));
    }
    // a late span of the oldest kept trace does not make it younger: first arrival decides
    store.add(request("svc", span(3, 2, 1, "late", 4, 5)));
    store.add(request("svc", span(6, 1, 0, "op6", 6, 7)));

    assertThat(store.usage().traces()).isEqualTo(3);
    assertThat(store.find(TraceQuery.all(10))).extracting(TraceSummary::traceId)
        .containsExactly(traceId(6), traceId(5), traceId(4));
    assertThat(store.trace(traceId(3))).isEmpty();
    assertThat(store.usage().evictedTraces()).isEqualTo(3);
    assertThat(store.usage().spans()).isEqualTo(3);
  }

  @Test
  void keepsAtMostMaxSpansByEvictingWholeOldTraces() {
    TraceStore store = TraceStore.create(100, 10, Duration.ZERO, clock);

    for (int t = 1; t <= 5; t++) {
      store.add(request("svc", span(t, 1, 0, "root", 0, 10), span(t, 2, 1, "a", 1, 2), span(t, 3, 1, "b", 2, 3),
          span(t, 4, 1, "c", 3, 4)));
      assertThat(store.usage().spans()).isLessThanOrEqualTo(10);
    }

    assertThat(store.usage().spans()).isEqualTo(8);
    assertThat(store.find(TraceQuery.all(10))).extracting(TraceSummary::traceId, TraceSummary::spanCount)
        .containsExactlyInAnyOrder(tuple(traceId(4), 4),
            tuple(traceId(5), 4));
    assertThat(store.usage().evictedTraces()).isEqualTo(3);
    assertThat(store.usage().droppedSpans()).isZero();
  }

  @Test
  void dropsAndCountsSpansOfATraceThatAloneFillsMaxSpans() {
    TraceStore store = TraceStore.create(100, 5, Duration.ZERO, clock);
    store.add(request("svc", span(1, 1, 0, "old", 0, 1)));

    List<Span.Builder> spans = new ArrayList<>();
    for (int i = 1; i <= 8; i++) {
      spans.add(span(2, i, i == 1 ? 0 : 1, "s" + i, i, i + 1));
    }
    store.add(request("svc", spans.toArray(Span.Builder[]::new)));

    assertThat(store.usage().spans()).isEqualTo(5);
    assertThat(store.trace(traceId(1))).isEmpty();
    StoredTrace big = store.trace(traceId(2)).orElseThrow();
    assertThat(big.spans()).extracting(StoredSpan::name).containsExactly("s1", "s2", "s3", "s4", "s5");
    assertThat(big.summary().droppedSpans()).isEqualTo(3);
    assertThat(store.usage().droppedSpans()).isEqualTo(3);
  }

  @Test
  void forgetsTracesWhoseFirstSpanArrivedLongerThanTtlAgo() {
    TraceStore store = TraceStore.create(100, 100, Duration.ofMinutes(1), clock);
    store.add(request("svc", span(1, 1, 0, "first", 0, 1)));
    clock.advance(Duration.ofSeconds(30));
    store.add(request("svc", span(2, 1, 0, "second", 0, 1)));
    clock.advance(Duration.ofSeconds(29));
    store.add(request("svc", span(1, 2, 1, "child of first", 0, 1)));

    assertThat(store.find(TraceQuery.all(10))).hasSize(2);

    clock.advance(Duration.ofSeconds(2)); // first is 61 s old, second 31 s
    assertThat(store.find(TraceQuery.all(10))).extracting(TraceSummary::traceId).containsExactly(traceId(2));
    assertThat(store.usage().spans()).isEqualTo(1);
    assertThat(store.services()).containsExactly("svc");

    clock.advance(Duration.ofSeconds(30));
    assertThat(store.trace(traceId(2))).isEmpty();
    assertThat(store.usage().spans()).isZero();
    assertThat(store.usage().evictedTraces()).isEqualTo(2);
  }

  @Test
  void storesASpanSentTwiceOnce() {
    TraceStore store = TraceStore.create(10, 100, Duration.ZERO, clock);
    ExportTraceServiceRequest batch = request("svc", span(1, 1, 0, "root", 0, 10),
        error(span(1, 2, 1, "child", 1, 2), "boom"));

    store.add(batch);
    store.add(batch); // a client retry after a lost response

    assertThat(store.usage().spans()).isEqualTo(2);
    TraceSummary summary = store.trace(traceId(1)).orElseThrow().summary();
    assertThat(summary.spanCount()).isEqualTo(2);
    assertThat(summary.errorCount()).isEqualTo(1);
  }

  @Test
  void dropsSpansWithoutValidIds() {
    TraceStore store = TraceStore.create(10, 100, Duration.ZERO, clock);

    store.add(request("svc", span(1, 1, 0, "ok", 0, 1),
        span(1, 2, 0, "no trace id", 0, 1).setTraceId(ByteString.EMPTY),
        span(1, 3, 0, "short span id", 0, 1).setSpanId(ByteString.copyFrom(new byte[] {1, 2}))));

    assertThat(store.usage().spans()).isEqualTo(1);
    assertThat(store.usage().droppedSpans()).isEqualTo(2);
  }

  @Test
  void findsByServiceMinimumDurationAndErrorNewestFirst() {
    TraceStore store = TraceStore.create(10, 100, Duration.ZERO, clock);
    store.add(request("frontend", span(1, 1, 0, "slow ok", 0, 500)));
    store.add(request("frontend", error(span(2, 1, 0, "fast error", 1000, 1010), "timeout")));
    store.add(request("frontend", span(3, 1, 0, "slow error", 2000, 2800)));
    store.add(request("payments", error(span(3, 2, 1, "charge", 2100, 2700), "declined")));
    store.add(request("batch", span(4, 1, 0, "nightly", 3000, 3001)));

    assertThat(names(store, new TraceQuery(null, Duration.ZERO, null, 10)))
        .containsExactly("nightly", "slow error", "fast error", "slow ok");
    assertThat(names(store, new TraceQuery("payments", Duration.ZERO, null, 10))).containsExactly("slow error");
    assertThat(names(store, new TraceQuery("frontend", Duration.ofMillis(500), null, 10)))
        .containsExactly("slow error", "slow ok");
    assertThat(names(store, new TraceQuery(null, Duration.ZERO, true, 10))).containsExactly("slow error", "fast error");
    assertThat(names(store, new TraceQuery(null, Duration.ZERO, false, 10))).containsExactly("nightly", "slow ok");
    assertThat(names(store, new TraceQuery(null, Duration.ZERO, null, 2))).containsExactly("nightly", "slow error");
    assertThat(store.services()).containsExactly("batch", "frontend", "payments");
  }

  @Test
  void staysWithinItsBoundsUnderConcurrentWriters() throws Exception {
    TraceStore store = TraceStore.create(50, 120, Duration.ZERO, clock);
    ExecutorService writers = Executors.newFixedThreadPool(4);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    try {
      for (int w = 0; w < 4; w++) {
        int writer = w;
        done.add(writers.submit(() -> {
          go.await();
          for (int i = 0; i < 500; i++) {
            int trace = writer * 10_000 + i;
            store.add(request("w" + writer, span(trace, 1, 0, "root", 0, 10), span(trace, 2, 1, "child", 1, 2),
                span(trace, 3, 2, "leaf", 2, 3)));
            TraceStore.Usage usage = store.usage();
            if (usage.spans() > 120 || usage.traces() > 50) {
              throw new AssertionError("bounds exceeded: " + usage);
            }
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      writers.shutdownNow();
    }

    List<TraceSummary> all = store.find(TraceQuery.all(1000));
    assertThat(all).hasSize(40); // 120 spans / 3 per trace
    assertThat(all).allSatisfy(t -> assertThat(t.spanCount()).isEqualTo(3));
    assertThat(store.usage().spans()).isEqualTo(120);
    assertThat(store.usage().evictedTraces()).isEqualTo(2000 - 40);
  }

  private static List<String> names(TraceStore store, TraceQuery query) {
    return store.find(query).stream().map(TraceSummary::rootName).toList();
  }

  /** A clock the test moves by hand, for the ttl. */
  private static final class MutableClock implements InstantSource {
    private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
