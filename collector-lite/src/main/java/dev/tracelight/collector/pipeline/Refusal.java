package dev.tracelight.collector.pipeline;

import java.time.Duration;

/**
 * Why a request was not taken. Nothing of a refused request is kept anywhere, so the client's retry neither loses nor
 * duplicates data. Receivers map it to HTTP 503 + Retry-After or a gRPC status with RetryInfo.
 */
public record Refusal(Reason reason, String message, Duration retryAfter) {

  public enum Reason {
    /** memory_limiter: heap above its soft limit (gRPC UNAVAILABLE). */
    MEMORY_LIMIT,
    /** an exporter's sending_queue has no room (gRPC RESOURCE_EXHAUSTED). */
    QUEUE_FULL,
    /** the bytes admitted and not yet delivered reached their limit (gRPC RESOURCE_EXHAUSTED). */
    ADMITTED_BYTES,
    /** the collector is stopping (gRPC UNAVAILABLE). */
    SHUTTING_DOWN
  }
}
