package dev.tracelight.collector.queue;

import dev.tracelight.collector.pipeline.OtlpRequest;
import java.util.concurrent.TimeUnit;

/**
 * An exporter's {@code sending_queue}. Admission is two-phase so that a receiver can take room in the queues of every
 * exporter of a pipeline before it makes the request visible in any of them: {@link #tryReserve} then
 * {@link Reservation#commit()} (or {@link Reservation#release()} when another queue said no). A request holds its room
 * from reservation until {@link #ack}: while queued and while being sent, so that an on-disk queue can keep it until it
 * is delivered. Anything that can fail (writing to disk) belongs in {@code tryReserve}, which may then answer null;
 * {@code commit} only makes the request visible and must not fail, or a request could end up in some queues only.
 */
public interface SendingQueue extends AutoCloseable {

  /** Room for the request, or null when the queue is full. */
  Reservation tryReserve(OtlpRequest request);

  /** The next committed request, waiting at most the given time; null if none came. */
  OtlpRequest poll(long timeout, TimeUnit unit) throws InterruptedException;

  /** The request left the queue for good (delivered or dropped); frees its room. */
  void ack(OtlpRequest request);

  /** Requests held: reserved, queued or being sent. */
  int size();

  /** Items (spans, points, records) in the held requests. */
  long items();

  int capacity();

  @Override
  void close();

  /** Room taken in a queue for one request. Exactly one of commit or release is called. */
  interface Reservation {
    void commit();

    /**
     * Commits, and runs {@code unheld} once the queue no longer holds the request's bytes in memory: at ack for a queue
     * in memory, at once for a queue on disk (it reads a record back only to send it).
     */
    default void commit(Runnable unheld) {
      commit();
      unheld.run();
    }

    void release();
  }
}
