package dev.tracelight.collector.pipeline;

/**
 * A check a request passes before any queue is touched (memory_limiter today; admission by in-flight bytes can plug in
 * here). Must be cheap and must not keep the request.
 */
public interface Admission {
  /** Null to admit, or why not. */
  Refusal check(OtlpRequest request);
}
