package dev.tracelight.collector.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tracelight.collector.OtlpSamples;
import dev.tracelight.collector.exporter.ExportResult;
import dev.tracelight.collector.queue.MemoryQueue;
import dev.tracelight.collector.queue.SendingQueue;
import dev.tracelight.collector.telemetry.Telemetry;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class QueueSenderTest {
  private static final RetryPolicy FAST_RETRY =
      new RetryPolicy(true, Duration.ofMillis(5), Duration.ofMillis(20), Duration.ofSeconds(30), 2, 0);
  private final Telemetry telemetry = Telemetry.create();
  private final List<QueueSender> senders = new ArrayList<>();

  @AfterEach
  void stop() {
    senders.forEach(QueueSender::stop);
  }

  @Test
  void batchesQueuedRequestsUpToSendBatchSize() throws Exception {
    RecordingExporter exporter = new RecordingExporter();
    QueueSender sender = sender(exporter, new Batching(20, 0, Duration.ofSeconds(30)), 1);
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ExportTraceServiceRequest r = OtlpSamples.traces("b" + i, 1, 5);
      r.getResourceSpans(0).getScopeSpans(0).getSpansList().forEach(s -> sent.add(s.getName()));
      offer(sender, r);
    }
    sender.start();

    await().atMost(Duration.ofSeconds(10)).until(() -> exporter.deliveredItems() == 20);
    assertThat(exporter.delivered).hasSize(1); // four requests of 5 spans sent as one batch of 20
    assertThat(names(exporter.delivered.get(0))).containsExactlyElementsOf(sent);
    assertThat(telemetry.value("otelcol_processor_batch_batch_size_trigger_send", "processor", "batch", "pipeline",
        "traces", "exporter", "test")).isEqualTo(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> sender.queue().size() == 0);
  }

  @Test
  void sendsAPartialBatchWhenTheTimeoutPasses() throws Exception {
    RecordingExporter exporter = new RecordingExporter();
    QueueSender sender = sender(exporter, new Batching(1000, 0, Duration.ofMillis(50)), 1);
    sender.start();
    offer(sender, OtlpSamples.traces("t", 1, 3));

    await().atMost(Duration.ofSeconds(10)).until(() -> exporter.deliveredItems() == 3);
    assertThat(telemetry.value("otelcol_processor_batch_timeout_trigger_send", "processor", "batch", "pipeline",
        "traces", "exporter", "test")).isEqualTo(1);
  }

  @Test
  void splitsBatchesAboveSendBatchMaxSize() throws Exception {
    RecordingExporter exporter = new RecordingExporter();
    QueueSender sender = sender(exporter, new Batching(10, 10, Duration.ofSeconds(30)), 1);
    offer(sender, OtlpSamples.traces("big", 4, 5)); // 20 spans in 4 resources
    sender.start();

    await().atMost(Duration.ofSeconds(10)).until(() -> exporter.deliveredItems() == 20);
    assertThat(exporter.delivered).extracting(OtlpRequest::items).containsExactly(10, 10);
  }

  @Test
  void retriesRetryableFailuresAndDeliversOnce() throws Exception {
    RecordingExporter exporter = new RecordingExporter().answering(
        ExportResult.retryable("UNAVAILABLE", null), ExportResult.retryable("HTTP 503", Duration.ofMillis(10)));
    QueueSender sender = sender(exporter, null, 1);
    sender.start();
    offer(sender, OtlpSamples.traces("r", 1, 4));

    await().atMost(Duration.ofSeconds(10)).until(() -> exporter.deliveredItems() == 4);
    assertThat(exporter.attempts).hasSize(3);
    assertThat(exporter.delivered).hasSize(1);
    assertThat(telemetry.value("otelcol_exporter_sent_spans", "exporter", "test", "pipeline", "traces")).isEqualTo(4);
    assertThat(telemetry.value("otelcol_exporter_send_failed_spans", "exporter", "test", "pipeline", "traces")).isZero();
  }

  @Test
  void dropsPermanentFailuresWithoutRetrying() throws Exception {
    RecordingExporter exporter = new RecordingExporter().answering(ExportResult.permanent("HTTP 400 bad request"));
    QueueSender sender = sender(exporter, null, 1);
    sender.start();
    offer(sender, OtlpSamples.traces("p", 1, 4));

    await().atMost(Duration.ofSeconds(10)).until(() ->
        telemetry.value("otelcol_exporter_send_failed_spans", "exporter", "test", "pipeline", "traces") == 4);
    assertThat(exporter.attempts).hasSize(1);
    assertThat(exporter.delivered).isEmpty();
    await().atMost(Duration.ofSeconds(10)).until(() -> sender.queue().size() == 0);
  }

  @Test
  void drainsWithoutWaitingForTheBatchTimeout() throws Exception {
    RecordingExporter exporter = new RecordingExporter();
    QueueSender sender = sender(exporter, new Batching(1000, 0, Duration.ofHours(1)), 2);
    sender.start();
    offer(sender, OtlpSamples.traces("d", 1, 3));
    offer(sender, OtlpSamples.traces("e", 1, 3));

    boolean drained = sender.drain(System.nanoTime() + Duration.ofSeconds(20).toNanos());

    assertThat(drained).isTrue();
    assertThat(exporter.deliveredItems()).isEqualTo(6);
  }

  @Test
  void holdsRoomUntilDeliveredSoAFullQueueRefuses() throws Exception {
    RecordingExporter exporter = new RecordingExporter().answering(
        ExportResult.retryable("down", null), ExportResult.retryable("down", null), ExportResult.retryable("down", null));
    QueueSender sender = QueueSender.builder().exporter("test", exporter).pipeline("traces", Signal.TRACES)
        .queue(MemoryQueue.create(1), 1).retry(new RetryPolicy(true, Duration.ofMillis(200), Duration.ofMillis(200),
            Duration.ZERO, 1, 0)).telemetry(telemetry).build();
    senders.add(sender);
    sender.start();
    offer(sender, OtlpSamples.traces("first", 1, 1));
    await().atMost(Duration.ofSeconds(10)).until(() -> exporter.attempts.size() >= 1);

    // the first request is being retried: it still holds the only slot
    assertThat(sender.tryReserve(OtlpRequest.parse(Signal.TRACES, OtlpSamples.traces("second", 1, 2).toByteArray())))
        .isNull();
    assertThat(telemetry.value("otelcol_exporter_enqueue_failed_spans", "exporter", "test", "pipeline", "traces"))
        .isEqualTo(2);
    await().atMost(Duration.ofSeconds(10)).until(() -> sender.queue().size() == 0);
    assertThat(exporter.delivered).hasSize(1);
  }

  private QueueSender sender(RecordingExporter exporter, Batching batching, int consumers) {
    QueueSender s = QueueSender.builder().exporter("test", exporter).pipeline("traces", Signal.TRACES)
        .queue(MemoryQueue.create(100), consumers).batching("batch", batching).retry(FAST_RETRY)
        .telemetry(telemetry).build();
    senders.add(s);
    return s;
  }

  private static void offer(QueueSender sender, ExportTraceServiceRequest request) throws Exception {
    SendingQueue.Reservation r = sender.tryReserve(OtlpRequest.parse(Signal.TRACES, request.toByteArray()));
    assertThat(r).isNotNull();
    r.commit();
  }

  private static List<String> names(OtlpRequest request) throws Exception {
    List<String> names = new ArrayList<>();
    ExportTraceServiceRequest.parseFrom(request.bytes()).getResourceSpansList().forEach(rs ->
        rs.getScopeSpansList().forEach(ss -> ss.getSpansList().forEach(s -> names.add(s.getName()))));
    return names;
  }
}
