package dev.tracelight.collector.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracelight.collector.OtlpSamples;
import dev.tracelight.collector.queue.FileQueue;
import dev.tracelight.collector.queue.MemoryQueue;
import dev.tracelight.collector.telemetry.Telemetry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The promise without sockets: reserve room in every queue, then commit; one full queue refuses the whole request. */
class IntakeTest {
  private final Telemetry telemetry = Telemetry.create();

  @Test
  void refusesBeforeEnqueueingWhenAnyQueueIsFull() throws Exception {
    QueueSender roomy = sender("roomy", 10);
    QueueSender tight = sender("tight", 1);
    Intake intake = Intake.create("otlp", List.of(new Pipeline("traces", Signal.TRACES, List.of(),
        List.of(roomy, tight))), telemetry);

    assertThat(intake.offer(request(3), "grpc")).isNull();
    Refusal refusal = intake.offer(request(4), "grpc");

    assertThat(refusal.reason()).isEqualTo(Refusal.Reason.QUEUE_FULL);
    assertThat(refusal.retryAfter()).isEqualTo(Duration.ofSeconds(1));
    assertThat(refusal.message()).contains("tight");
    assertThat(roomy.queue().size()).isEqualTo(1); // the refused request was not left in the roomy queue
    assertThat(roomy.queue().items()).isEqualTo(3);
    assertThat(tight.queue().size()).isEqualTo(1);
    assertThat(telemetry.value("otelcol_receiver_accepted_spans", "receiver", "otlp", "transport", "grpc")).isEqualTo(3);
    assertThat(telemetry.value("otelcol_receiver_refused_spans", "receiver", "otlp", "transport", "grpc")).isEqualTo(4);
  }

  @Test
  void fansOutAcrossEveryPipelineOfTheSignal() throws Exception {
    QueueSender a = sender("a", 10);
    QueueSender b = sender("b", 10);
    QueueSender logs = sender("logs", 10);
    Intake intake = Intake.create("otlp", List.of(
        new Pipeline("traces", Signal.TRACES, List.of(), List.of(a)),
        new Pipeline("traces/2", Signal.TRACES, List.of(), List.of(b)),
        new Pipeline("logs", Signal.LOGS, List.of(), List.of(logs))), telemetry);

    assertThat(intake.offer(request(2), "http")).isNull();

    assertThat(a.queue().size()).isEqualTo(1);
    assertThat(b.queue().size()).isEqualTo(1);
    assertThat(logs.queue().size()).isZero();
    assertThat(intake.accepts(Signal.METRICS)).isFalse();
  }

  @Test
  void memoryLimiterRefusesAboveTheSoftLimitAndCountsIt() throws Exception {
    AtomicLong used = new AtomicLong(100);
    AtomicLong gcs = new AtomicLong();
    MemoryLimiter limiter = MemoryLimiter.create("memory_limiter", 1000, 200, Duration.ofMillis(100), used::get,
        gcs::incrementAndGet, telemetry);
    QueueSender q = sender("q", 10);
    Intake intake = Intake.create("otlp", List.of(new Pipeline("traces", Signal.TRACES, List.of(limiter),
        List.of(q))), telemetry);

    limiter.measure();
    assertThat(intake.offer(request(1), "grpc")).isNull();
    used.set(900); // above the soft limit of 800, and a GC does not help
    limiter.measure();
    Refusal refusal = intake.offer(request(5), "grpc");
    used.set(700);
    limiter.measure();

    assertThat(refusal.reason()).isEqualTo(Refusal.Reason.MEMORY_LIMIT);
    assertThat(refusal.retryAfter()).isEqualTo(Duration.ofSeconds(1));
    assertThat(gcs.get()).isEqualTo(1);
    assertThat(telemetry.value("otelcol_processor_refused_spans", "processor", "memory_limiter")).isEqualTo(5);
    assertThat(intake.offer(request(2), "grpc")).isNull();
    assertThat(q.queue().items()).isEqualTo(3);
  }

  @Test
  void refusesEverythingOnceClosed() throws Exception {
    QueueSender q = sender("q", 10);
    Intake intake = Intake.create("otlp", List.of(new Pipeline("traces", Signal.TRACES, List.of(), List.of(q))),
        telemetry);

    intake.close();

    assertThat(intake.offer(request(1), "grpc").reason()).isEqualTo(Refusal.Reason.SHUTTING_DOWN);
    assertThat(q.queue().size()).isZero();
  }

  @Test
  void holdsAdmittedBytesUntilEveryMemoryQueueAckedTheRequest() throws Exception {
    QueueSender a = sender("a", 10);
    QueueSender b = sender("b", 10);
    AdmittedBytes budget = AdmittedBytes.create(1 << 20, telemetry);
    Intake intake = Intake.create("otlp", List.of(new Pipeline("traces", Signal.TRACES, List.of(), List.of(a, b))),
        telemetry, budget);
    OtlpRequest r = request(3);
    AdmittedBytes.Claim claim = intake.claim();
    assertThat(claim.grow(r.size() * 4L)).isTrue(); // the receiver's buffers, more than the decoded request

    assertThat(intake.offer(r, "http", claim)).isNull();
    assertThat(budget.held()).isEqualTo(r.size()); // shrunk to the request once decoded

    a.queue().ack(a.queue().poll(0, TimeUnit.SECONDS));
    assertThat(budget.held()).isEqualTo(r.size()); // b still holds it in memory
    b.queue().ack(b.queue().poll(0, TimeUnit.SECONDS));
    assertThat(budget.held()).isZero();
  }

  @Test
  void refusesWhenAdmittedBytesWouldPassTheLimitAndKeepsNothing() throws Exception {
    QueueSender q = sender("q", 10);
    OtlpRequest first = request(3);
    AdmittedBytes budget = AdmittedBytes.create(first.size() + 10, telemetry);
    Intake intake = Intake.create("otlp", List.of(new Pipeline("traces", Signal.TRACES, List.of(), List.of(q))),
        telemetry, budget);

    assertThat(intake.offer(first, "grpc")).isNull();
    Refusal refusal = intake.offer(request(3), "grpc");

    assertThat(refusal.reason()).isEqualTo(Refusal.Reason.ADMITTED_BYTES);
    assertThat(refusal.retryAfter()).isEqualTo(Duration.ofSeconds(1));
    assertThat(q.queue().size()).isEqualTo(1);
    assertThat(budget.held()).isEqualTo(first.size());
    assertThat(telemetry.value("otelcol_receiver_admission_refused_requests")).isEqualTo(1);
    q.queue().ack(q.queue().poll(0, TimeUnit.SECONDS));
    assertThat(intake.offer(request(3), "grpc")).isNull(); // room again once delivered
  }

  @Test
  void letsInARequestLargerThanTheWholeBudgetWhenNothingElseIsHeld() throws Exception {
    QueueSender q = sender("q", 10);
    AdmittedBytes budget = AdmittedBytes.create(10, telemetry);
    Intake intake = Intake.create("otlp", List.of(new Pipeline("traces", Signal.TRACES, List.of(), List.of(q))),
        telemetry, budget);

    assertThat(intake.offer(request(3), "grpc")).isNull();
    assertThat(intake.offer(request(1), "grpc").reason()).isEqualTo(Refusal.Reason.ADMITTED_BYTES);
  }

  @Test
  void aQueueOnDiskGivesTheBytesBackAtCommit(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    QueueSender q = QueueSender.builder().exporter("disk", new RecordingExporter()).pipeline("traces", Signal.TRACES)
        .queue(FileQueue.open(dir, "disk", Signal.TRACES, 10, false, telemetry.counter("c", "c")), 1)
        .telemetry(telemetry).build();
    AdmittedBytes budget = AdmittedBytes.create(1 << 20, telemetry);
    Intake intake = Intake.create("otlp", List.of(new Pipeline("traces", Signal.TRACES, List.of(), List.of(q))),
        telemetry, budget);

    assertThat(intake.offer(request(3), "grpc")).isNull();

    assertThat(budget.held()).isZero();
    assertThat(q.queue().size()).isEqualTo(1);
  }

  /** Not started: nothing leaves the queues, so their contents can be checked exactly. */
  private QueueSender sender(String id, int capacity) {
    return QueueSender.builder().exporter(id, new RecordingExporter()).pipeline("traces", Signal.TRACES)
        .queue(MemoryQueue.create(capacity), 1).telemetry(telemetry).build();
  }

  private static OtlpRequest request(int spans) throws InvalidOtlpException {
    return OtlpRequest.parse(Signal.TRACES, OtlpSamples.traces("x", 1, spans).toByteArray());
  }
}
