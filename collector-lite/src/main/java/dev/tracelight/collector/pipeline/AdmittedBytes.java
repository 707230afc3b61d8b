package dev.tracelight.collector.pipeline;

import dev.tracelight.collector.telemetry.Telemetry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Admission by in-flight bytes: one budget for the whole collector, counting the bytes of requests being received and
 * decompressed and of accepted requests that a sending queue still holds in memory. A request that would take the
 * total above the limit is refused before more of it is read, so the heap the data can take is bounded by what was
 * admitted instead of being noticed afterwards by polling the heap (memory_limiter reacts one check_interval late and
 * only to what is already allocated). A claim that alone is larger than the limit is let in when nothing else is held,
 * so an oversized request cannot be refused for ever.
 */
public final class AdmittedBytes {
  /** How long a refused client is told to wait: about the time a consumer needs to send a batch. */
  static final Duration RETRY_AFTER = Duration.ofSeconds(1);

  private final long limit;
  private final AtomicLong held = new AtomicLong();
  private final Telemetry.Counter refused;

  private AdmittedBytes(long limit, Telemetry telemetry) {
    this.limit = limit;
    this.refused = telemetry.counter("otelcol_receiver_admission_refused_requests",
        "Requests refused because the bytes admitted and not yet delivered reached the limit.");
    telemetry.gauge("otelcol_receiver_admitted_bytes", "Bytes being received or held in memory by sending queues.",
        held::get);
    telemetry.gauge("otelcol_receiver_admitted_bytes_limit", "The limit of admitted bytes.", () -> limit);
  }

  public static AdmittedBytes create(long limitBytes, Telemetry telemetry) {
    if (limitBytes < 1) {
      throw new IllegalArgumentException("limit must be positive");
    }
    return new AdmittedBytes(limitBytes, telemetry);
  }

  /** No limit (tests and callers without a budget). */
  public static AdmittedBytes unlimited() {
    return new AdmittedBytes(Long.MAX_VALUE, Telemetry.create());
  }

  public Claim claim() {
    return new Claim();
  }

  public long held() {
    return held.get();
  }

  public long limit() {
    return limit;
  }

  /** What a receiver answers when a claim cannot grow. */
  public Refusal refusal() {
    refused.add(1);
    return new Refusal(Refusal.Reason.ADMITTED_BYTES, "collector holds " + (held.get() >> 20) + " MiB of data not yet "
        + "delivered (limit " + (limit >> 20) + " MiB); nothing was accepted, retry later", RETRY_AFTER);
  }

  /** The bytes one request holds, from its first byte read until every queue that holds it in memory let it go. */
  public final class Claim {
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicBoolean released = new AtomicBoolean();

    private Claim() {}

    /** Takes n more bytes; false (taking nothing) when that would pass the limit. */
    public boolean grow(long n) {
      while (true) {
        long now = held.get();
        long mine = bytes.get();
        if (now + n > limit && now - mine > 0) {
          return false;
        }
        if (held.compareAndSet(now, now + n)) {
          bytes.addAndGet(n);
          return true;
        }
      }
    }

    /** Gives back what is above n (the wire and decompression buffers once the request is decoded). */
    public void shrinkTo(long n) {
      long extra = bytes.get() - n;
      if (extra > 0) {
        bytes.addAndGet(-extra);
        held.addAndGet(-extra);
      }
    }

    /** Gives everything back; only the first call counts. */
    public void release() {
      if (released.compareAndSet(false, true)) {
        held.addAndGet(-bytes.getAndSet(0));
      }
    }

    public long bytes() {
      return bytes.get();
    }
  }
}
