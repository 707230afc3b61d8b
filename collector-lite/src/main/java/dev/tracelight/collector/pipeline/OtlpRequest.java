package dev.tracelight.collector.pipeline;

import java.util.Objects;

/**
 * One OTLP export request as it travels through the collector: the serialized {@code Export*ServiceRequest} bytes and the
 * number of items (spans, data points, log records) in them. The bytes are not re-encoded on the way: requests are
 * batched by concatenation (the only top-level field is repeated, so concatenated messages merge) and split at
 * resource boundaries (see {@link OtlpWire}); only a resource entry that alone exceeds send_batch_max_size is decoded.
 */
public record OtlpRequest(Signal signal, byte[] bytes, int items) {

  public OtlpRequest {
    Objects.requireNonNull(signal, "signal");
    Objects.requireNonNull(bytes, "bytes");
  }

  /** Reads the item count from the bytes; throws if they are not a well-formed request of that signal. */
  public static OtlpRequest parse(Signal signal, byte[] bytes) throws InvalidOtlpException {
    return new OtlpRequest(signal, bytes, OtlpWire.count(signal, bytes));
  }

  public int size() {
    return bytes.length;
  }
}
