package dev.tracelight.collector.pipeline;

import java.time.Duration;
import java.util.ArrayList;
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
   * Splits a request into parts of at most {@code maxItems} items at resource boundaries. A single resource entry with
   * more items than that is sent whole (splitting inside it would mean decoding and re-encoding it).
   */
  public static List<OtlpRequest> split(OtlpRequest request, int maxItems) {
    if (maxItems <= 0 || request.items() <= maxItems) {
      return List.of(request);
    }
    List<OtlpWire.Chunk> chunks;
    try {
      chunks = OtlpWire.chunks(request.signal(), request.bytes());
    } catch (InvalidOtlpException e) {
      return List.of(request); // checked at the receiver already; cannot happen for queued requests
    }
    List<OtlpRequest> parts = new ArrayList<>();
    int from = 0;
    while (from < chunks.size()) {
      int to = from;
      int items = 0;
      while (to < chunks.size() && (to == from || items + chunks.get(to).items() <= maxItems)) {
        items += chunks.get(to).items();
        to++;
      }
      parts.add(slice(request, chunks.subList(from, to), items));
      from = to;
    }
    return parts;
  }

  private static OtlpRequest slice(OtlpRequest request, List<OtlpWire.Chunk> chunks, int items) {
    int size = 0;
    for (OtlpWire.Chunk c : chunks) {
      size += c.length();
    }
    byte[] bytes = new byte[size];
    int at = 0;
    for (OtlpWire.Chunk c : chunks) {
      System.arraycopy(request.bytes(), c.offset(), bytes, at, c.length());
      at += c.length();
    }
    return new OtlpRequest(request.signal(), bytes, items);
  }
}
