package dev.tracelight.collector.exporter;

import java.time.Duration;

/**
 * What one export attempt came to. Retryable follows the OTLP spec: gRPC UNAVAILABLE, DEADLINE_EXCEEDED, ABORTED,
 * CANCELLED, OUT_OF_RANGE, DATA_LOSS and RESOURCE_EXHAUSTED with RetryInfo; HTTP 429, 502, 503, 504 and transport errors.
 *
 * @param rejected items the backend accepted the request but rejected (OTLP partial_success); never retried
 */
public record ExportResult(Outcome outcome, String message, Duration retryAfter, long rejected) {

  public enum Outcome {
    SUCCESS,
    RETRYABLE,
    PERMANENT
  }

  private static final ExportResult SUCCESS = new ExportResult(Outcome.SUCCESS, "", null, 0);

  public static ExportResult success() {
    return SUCCESS;
  }

  public static ExportResult partial(long rejected, String message) {
    return new ExportResult(Outcome.SUCCESS, message, null, rejected);
  }

  public static ExportResult retryable(String message, Duration retryAfter) {
    return new ExportResult(Outcome.RETRYABLE, message, retryAfter, 0);
  }

  public static ExportResult permanent(String message) {
    return new ExportResult(Outcome.PERMANENT, message, null, 0);
  }
}
