package dev.tracelight.collector.pipeline;

import dev.tracelight.collector.exporter.ExportResult;
import dev.tracelight.collector.exporter.Exporter;
import dev.tracelight.collector.queue.SendingQueue;
import dev.tracelight.collector.telemetry.Log;
import dev.tracelight.collector.telemetry.Telemetry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One exporter in one pipeline: its sending queue and the {@code num_consumers} threads that take requests from it,
 * batch them (when the pipeline has a {@code batch} processor), export, and retry per {@code retry_on_failure}. A request
 * leaves the queue (ack) only once it was delivered or given up, so the queue's room measures what this backend owes.
 */
public final class QueueSender {
  private static final long POLL_MILLIS = 100;

  private final String exporterId;
  private final Signal signal;
  private final SendingQueue queue;
  private final Exporter exporter;
  private final Batching batching;
  private final RetryPolicy retry;
  private final int consumers;
  private final ReentrantLock batchForming = new ReentrantLock();
  private final List<Thread> threads = new ArrayList<>();
  private final Telemetry.Counter sent;
  private final Telemetry.Counter failed;
  private final Telemetry.Counter enqueueFailed;
  private final Telemetry.Counter sizeTriggers;
  private final Telemetry.Counter timeoutTriggers;
  private final Telemetry.Counter batchedItems;
  private volatile boolean draining;
  private volatile boolean stopped;

  private QueueSender(Builder b) {
    this.exporterId = b.exporterId;
    this.signal = b.signal;
    this.queue = b.queue;
    this.exporter = b.exporter;
    this.batching = b.batching;
    this.retry = b.retry;
    this.consumers = b.consumers;
    Telemetry t = b.telemetry;
    String item = signal.itemName();
    String[] labels = {"exporter", exporterId, "pipeline", b.pipelineId};
    sent = t.counter("otelcol_exporter_sent_" + item, "Items delivered to the backend.", labels);
    failed = t.counter("otelcol_exporter_send_failed_" + item, "Items given up (permanent error or retries exhausted).", labels);
    enqueueFailed = t.counter("otelcol_exporter_enqueue_failed_" + item, "Items refused because the queue was full.", labels);
    t.gauge("otelcol_exporter_queue_size", "Requests held by the sending queue (queued or being sent).", queue::size, labels);
    t.gauge("otelcol_exporter_queue_capacity", "The sending queue's capacity in requests.", queue::capacity, labels);
    String[] batchLabels = {"processor", b.batchId == null ? "" : b.batchId, "pipeline", b.pipelineId, "exporter", exporterId};
    sizeTriggers = t.counter("otelcol_processor_batch_batch_size_trigger_send", "Batches sent because they were full.", batchLabels);
    timeoutTriggers = t.counter("otelcol_processor_batch_timeout_trigger_send", "Batches sent because of the timeout.", batchLabels);
    batchedItems = t.counter("otelcol_processor_batch_batched_" + item, "Items that went through batching.", batchLabels);
  }

  public static Builder builder() {
    return new Builder();
  }

  public String exporterId() {
    return exporterId;
  }

  public SendingQueue queue() {
    return queue;
  }

  public void start() {
    for (int i = 0; i < consumers; i++) {
      Thread t = new Thread(this::consume, "exporter-" + exporterId + "-" + signal.id() + "-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  /** Room for the request in this exporter's queue, or null (and counted) when full. */
  public SendingQueue.Reservation tryReserve(OtlpRequest request) {
    SendingQueue.Reservation r = queue.tryReserve(request);
    if (r == null) {
      enqueueFailed.add(request.items());
    }
    return r;
  }

  /** Sends what is queued without waiting for batch timeouts; true if the queue emptied before the deadline. */
  public boolean drain(long deadlineNanos) throws InterruptedException {
    draining = true;
    while (queue.size() > 0 && System.nanoTime() < deadlineNanos) {
      Thread.sleep(10);
    }
    return queue.size() == 0;
  }

  /** Stops the consumers, abandoning what is still queued or in retry. */
  public void stop() {
    stopped = true;
    for (Thread t : threads) {
      t.interrupt();
    }
    for (Thread t : threads) {
      try {
        t.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    queue.close();
  }

  private void consume() {
    while (!stopped) {
      List<OtlpRequest> batch;
      try {
        batch = nextBatch();
      } catch (InterruptedException e) {
        return;
      }
      if (batch.isEmpty()) {
        continue;
      }
      OtlpRequest merged = Batching.merge(batch);
      int max = batching == null ? 0 : batching.sendBatchMaxSize();
      try {
        for (OtlpRequest part : Batching.split(merged, max)) {
          deliver(part);
        }
      } catch (InterruptedException e) {
        return; // stopped while sending or waiting to retry: the requests stay counted in the queue as left over
      } catch (RuntimeException e) {
        Log.error("exporter " + exporterId + ": unexpected failure, dropping " + merged.items() + " " + signal.itemName()
            + ": " + e);
        failed.add(merged.items());
      }
      for (OtlpRequest r : batch) {
        queue.ack(r);
      }
    }
  }

  /** One consumer at a time forms a batch, so batches fill up instead of being split across idle consumers. */
  private List<OtlpRequest> nextBatch() throws InterruptedException {
    batchForming.lockInterruptibly();
    try {
      OtlpRequest first = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
      if (first == null) {
        return List.of();
      }
      List<OtlpRequest> batch = new ArrayList<>();
      batch.add(first);
      if (batching == null) {
        return batch;
      }
      long items = first.items();
      long deadline = System.nanoTime() + batching.timeout().toNanos();
      while (items < batching.sendBatchSize()) {
        long remaining = deadline - System.nanoTime();
        OtlpRequest next;
        if (draining || remaining <= 0) {
          next = queue.poll(0, TimeUnit.NANOSECONDS);
          if (next == null) {
            break;
          }
        } else {
          // waits in slices so that a drain (shutdown) is noticed within one slice
          next = queue.poll(Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS)), TimeUnit.NANOSECONDS);
          if (next == null) {
            continue;
          }
        }
        batch.add(next);
        items += next.items();
      }
      (items >= batching.sendBatchSize() ? sizeTriggers : timeoutTriggers).add(1);
      batchedItems.add(items);
      return batch;
    } finally {
      batchForming.unlock();
    }
  }

  private void deliver(OtlpRequest request) throws InterruptedException {
    long start = System.nanoTime();
    for (int retries = 0; ; retries++) {
      ExportResult result = exporter.export(request);
      switch (result.outcome()) {
        case SUCCESS -> {
          sent.add(request.items() - result.rejected());
          if (result.rejected() > 0) {
            failed.add(result.rejected());
            Log.warn("exporter " + exporterId + ": backend rejected " + result.rejected() + " of " + request.items() + " "
                + signal.itemName() + ": " + result.message());
          }
          return;
        }
        case PERMANENT -> {
          failed.add(request.items());
          Log.warn("exporter " + exporterId + ": dropping " + request.items() + " " + signal.itemName()
              + " (not retryable): " + result.message());
          return;
        }
        case RETRYABLE -> {
          Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
          Duration delay = retry.nextDelay(retries, elapsed, result.retryAfter(), ThreadLocalRandom.current()::nextDouble);
          if (delay == null) {
            failed.add(request.items());
            Log.warn("exporter " + exporterId + ": dropping " + request.items() + " " + signal.itemName() + " after "
                + (retries + 1) + " attempts over " + elapsed.toMillis() + " ms: " + result.message());
            return;
          }
          Log.debug("exporter " + exporterId + ": retrying in " + delay.toMillis() + " ms: " + result.message());
          Thread.sleep(Math.max(1, delay.toMillis()));
        }
      }
    }
  }

  public static final class Builder {
    private String exporterId;
    private String pipelineId = "";
    private Signal signal;
    private SendingQueue queue;
    private Exporter exporter;
    private Batching batching;
    private String batchId;
    private RetryPolicy retry = RetryPolicy.defaults();
    private int consumers = 10;
    private Telemetry telemetry = Telemetry.create();

    private Builder() {}

    public Builder exporter(String id, Exporter exporter) {
      this.exporterId = id;
      this.exporter = exporter;
      return this;
    }

    public Builder pipeline(String id, Signal signal) {
      this.pipelineId = id;
      this.signal = signal;
      return this;
    }

    public Builder queue(SendingQueue queue, int consumers) {
      this.queue = queue;
      this.consumers = consumers;
      return this;
    }

    /** Null for a pipeline without a batch processor: each request is sent as it came. */
    public Builder batching(String processorId, Batching batching) {
      this.batchId = processorId;
      this.batching = batching;
      return this;
    }

    public Builder retry(RetryPolicy retry) {
      this.retry = retry;
      return this;
    }

    public Builder telemetry(Telemetry telemetry) {
      this.telemetry = telemetry;
      return this;
    }

    public QueueSender build() {
      return new QueueSender(this);
    }
  }
}
