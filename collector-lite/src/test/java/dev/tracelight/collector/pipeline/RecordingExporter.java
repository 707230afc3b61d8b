package dev.tracelight.collector.pipeline;

import dev.tracelight.collector.exporter.ExportResult;
import dev.tracelight.collector.exporter.Exporter;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/** An exporter that keeps what it was given and answers with scripted results first, success after. */
final class RecordingExporter implements Exporter {
  final List<OtlpRequest> delivered = new CopyOnWriteArrayList<>();
  final List<OtlpRequest> attempts = new CopyOnWriteArrayList<>();
  private final Queue<ExportResult> script = new ConcurrentLinkedQueue<>();

  RecordingExporter answering(ExportResult... results) {
    script.addAll(List.of(results));
    return this;
  }

  int deliveredItems() {
    return delivered.stream().mapToInt(OtlpRequest::items).sum();
  }

  @Override
  public ExportResult export(OtlpRequest request) {
    attempts.add(request);
    ExportResult r = script.poll();
    if (r == null || r.outcome() == ExportResult.Outcome.SUCCESS) {
      delivered.add(request);
      return r == null ? ExportResult.success() : r;
    }
    return r;
  }

  @Override
  public void close() {}
}
