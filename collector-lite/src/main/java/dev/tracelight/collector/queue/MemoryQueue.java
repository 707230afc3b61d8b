package dev.tracelight.collector.queue;

import dev.tracelight.collector.pipeline.OtlpRequest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The in-memory sending queue: bounded by {@code queue_size} requests, counted from reservation until ack. */
public final class MemoryQueue implements SendingQueue {
  private final int capacity;
  private final AtomicInteger held = new AtomicInteger();
  private final AtomicLong items = new AtomicLong();
  private final LinkedBlockingQueue<OtlpRequest> ready = new LinkedBlockingQueue<>();
  private final Map<OtlpRequest, Runnable> unheld = new ConcurrentHashMap<>();

  private MemoryQueue(int capacity) {
    this.capacity = capacity;
  }

  public static MemoryQueue create(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1");
    }
    return new MemoryQueue(capacity);
  }

  @Override
  public Reservation tryReserve(OtlpRequest request) {
    while (true) {
      int now = held.get();
      if (now >= capacity) {
        return null;
      }
      if (held.compareAndSet(now, now + 1)) {
        items.addAndGet(request.items());
        return new Reservation() {
          @Override
          public void commit() {
            ready.add(request);
          }

          @Override
          public void commit(Runnable whenUnheld) {
            unheld.put(request, whenUnheld);
            ready.add(request);
          }

          @Override
          public void release() {
            items.addAndGet(-request.items());
            held.decrementAndGet();
          }
        };
      }
    }
  }

  @Override
  public OtlpRequest poll(long timeout, TimeUnit unit) throws InterruptedException {
    return ready.poll(timeout, unit);
  }

  @Override
  public void ack(OtlpRequest request) {
    Runnable r = unheld.remove(request);
    if (r != null) {
      r.run();
    }
    items.addAndGet(-request.items());
    held.decrementAndGet();
  }

  @Override
  public int size() {
    return held.get();
  }

  @Override
  public long items() {
    return items.get();
  }

  @Override
  public int capacity() {
    return capacity;
  }

  @Override
  public void close() {
    ready.clear();
    unheld.values().forEach(Runnable::run);
    unheld.clear();
  }
}
