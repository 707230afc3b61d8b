package dev.tracelight.collector.exporter;

import dev.tracelight.collector.pipeline.OtlpRequest;

/**
 * Where a batch goes after its queue. Called from the queue's consumer threads, one request at a time per thread;
 * blocking is fine. Queueing, batching and retries live outside, in {@code pipeline.QueueSender}, so an exporter only
 * delivers (an in-memory one like the later {@code traceview} simply stores and returns success).
 */
public interface Exporter extends AutoCloseable {

  ExportResult export(OtlpRequest request) throws InterruptedException;

  @Override
  void close();
}
