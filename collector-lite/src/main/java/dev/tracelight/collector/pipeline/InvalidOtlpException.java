package dev.tracelight.collector.pipeline;

/** The bytes or JSON of a request are not a valid OTLP export request; the receiver answers 400 / INVALID_ARGUMENT. */
public final class InvalidOtlpException extends Exception {
  public InvalidOtlpException(String message) {
    super(message);
  }

  public InvalidOtlpException(String message, Throwable cause) {
    super(message, cause);
  }
}
