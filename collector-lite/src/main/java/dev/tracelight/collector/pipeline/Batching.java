package dev.tracelight.collector.pipeline;

import com.google.protobuf.InvalidProtocolBufferException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code batch} processor's settings and its two byte-level operations. Unlike the collector's batch processor it
 * holds nothing itself: it is applied by each exporter's queue consumers to requests that are already queued (and so
 * acknowledged), so a crash or a full backend never loses what a client was told was accepted.
 *
 * @param sendBatchSize items after which a batch is sent without waiting for the timeout
 * @param sendBatchMaxSize upper bound on items per sent request, 0 for none
 * @param timeout how long the first request of a batch waits for more
 */
public record Batching(int sendBatchSize, int sendBatchMaxSize, Duration timeout) {

  /** Concatenates requests: OTLP requests have a single repeated top-level field, so the bytes merge into one request. */
  public static OtlpRequest merge(List<OtlpRequest> requests) {
    if (requests.size() == 1) {
      return requests.get(0);
    }
    int size = 0;
    int items = 0;
    for (OtlpRequest r : requests) {
      size += r.size();
      items += r.items();
    }
    byte[] bytes = new byte[size];
    int at = 0;
    for (OtlpRequest r : requests) {
      System.arraycopy(r.bytes(), 0, bytes, at, r.size());
      at += r.size();
    }
    return new OtlpRequest(requests.get(0).signal(), bytes, items);
  }

  /**
   * Splits a request into parts of at most {@code maxItems} items. Resource entries are kept whole where they fit (no
   * decoding); one that alone holds more than {@code maxItems} is split by {@link ResourceSplitter}.
   */
  public static List<OtlpRequest> split(OtlpRequest request, int maxItems) {
    if (maxItems <= 0 || request.items() <= maxItems) {
      return List.of(request);
    }
    List<ResourceSplitter.Piece> pieces = new ArrayList<>();
    try {
      for (OtlpWire.Chunk c : OtlpWire.chunks(request.signal(), request.bytes())) {
        byte[] bytes = Arrays.copyOfRange(request.bytes(), c.offset(), c.offset() + c.length());
        if (c.items() > maxItems) {
          pieces.addAll(ResourceSplitter.split(request.signal(), bytes, maxItems));
        } else {
          pieces.add(new ResourceSplitter.Piece(bytes, c.items()));
        }
      }
    } catch (InvalidOtlpException | InvalidProtocolBufferException e) {
      return List.of(request); // checked at the receiver already; cannot happen for queued requests
    }
    List<OtlpRequest> parts = new ArrayList<>();
    List<OtlpRequest> current = new ArrayList<>();
    int items = 0;
    for (ResourceSplitter.Piece p : pieces) {
      if (!current.isEmpty() && items + p.items() > maxItems) {
        parts.add(merge(current));
        current = new ArrayList<>();
        items = 0;
      }
      current.add(new OtlpRequest(request.signal(), p.bytes(), p.items()));
      items += p.items();
    }
    if (!current.isEmpty()) {
      parts.add(merge(current));
    }
    return parts;
  }
}
