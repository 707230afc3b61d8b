package dev.tracelight.collector.pipeline;

import com.google.common.base.Utf8;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads OTLP export requests at the protobuf wire level, without building message objects: it counts items, checks the
 * structure down to each item (tags, lengths, id sizes) and finds resource boundaries for splitting. The walk follows
 * opentelemetry-proto: request.1 = Resource*; Resource*.2 = Scope*; ScopeSpans.2 = Span, ScopeLogs.2 = LogRecord,
 * ScopeMetrics.2 = Metric whose gauge(5)/sum(7)/histogram(9)/exponential_histogram(10)/summary(11) hold data_points(1).
 *
 * <p>Everything a backend's protobuf parser checks is checked here too, so that a request it would reject is refused
 * with a 400 rather than accepted and then dropped at export together with the good requests batched with it: every
 * nested message of the schema is walked (nesting up to {@link #MAX_DEPTH} levels), every {@code string} must be
 * UTF-8, packed numbers must fill their field exactly. Which fields are which comes from opentelemetry-proto's own
 * descriptors ({@link Shape}), so fields added by a newer proto are checked as well.
 */
public final class OtlpWire {
  private static final int LEN = WireFormat.WIRETYPE_LENGTH_DELIMITED;
  private static final int FIELD_1_LEN = tag(1, LEN);
  /** AnyValue nesting (kvlist in array in kvlist...) beyond this is refused; protobuf-java's parser stops at 100. */
  static final int MAX_DEPTH = 64;
  /** Per signal: the resource entry (ResourceSpans / ResourceMetrics / ResourceLogs) and, inside, scope and item. */
  private static final Shape[] RESOURCE = {
      Shape.of(ResourceSpans.getDescriptor()), Shape.of(ResourceMetrics.getDescriptor()),
      Shape.of(ResourceLogs.getDescriptor())};

  private final CodedInputStream in;
  /** The request, which {@link #in} reads from its start: strings are checked where they lie, not copied. */
  private final byte[] bytes;

  private OtlpWire(byte[] bytes) {
    this.in = CodedInputStream.newInstance(bytes);
    this.bytes = bytes;
  }

  /** One top-level resource entry: where its bytes (tag and length included) sit in the request, and its item count. */
  public record Chunk(int offset, int length, int items) {}

  public static int count(Signal signal, byte[] bytes) throws InvalidOtlpException {
    int n = 0;
    for (Chunk c : chunks(signal, bytes)) {
      n += c.items();
    }
    return n;
  }

  public static List<Chunk> chunks(Signal signal, byte[] bytes) throws InvalidOtlpException {
    List<Chunk> chunks = new ArrayList<>();
    OtlpWire wire = new OtlpWire(bytes);
    CodedInputStream in = wire.in;
    try {
      while (true) {
        int start = in.getTotalBytesRead();
        int tag = in.readTag();
        if (tag == 0) {
          return chunks;
        }
        if (tag == FIELD_1_LEN) {
          int items = wire.nested(() -> wire.resource(signal));
          chunks.add(new Chunk(start, in.getTotalBytesRead() - start, items));
        } else if (!in.skipField(tag)) {
          throw new InvalidOtlpException("unexpected end-group tag");
        }
      }
    } catch (IOException e) {
      throw new InvalidOtlpException("not a valid OTLP " + signal.id() + " request: " + e.getMessage(), e);
    }
  }

  private int resource(Signal signal) throws IOException {
    Shape resource = RESOURCE[signal.ordinal()];
    Shape scope = resource.message(2);
    Shape item = scope.message(2);
    return repeated(2, resource, () -> repeated(2, scope,
        signal == Signal.METRICS ? () -> metric(item) : () -> item(signal, item)));
  }

  /**
   * The data points of one Metric. Its data fields are a oneof: a backend's parser merges repeats of the same field
   * and lets a different one replace it, so only the points of the last data field on the wire count.
   */
  private int metric(Shape metric) throws IOException {
    int n = 0;
    int dataField = 0;
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        return n;
      }
      int field = WireFormat.getTagFieldNumber(tag);
      boolean data = field == 5 || field == 7 || field == 9 || field == 10 || field == 11;
      if (data && WireFormat.getTagWireType(tag) == LEN) {
        Shape aggregation = metric.message(field); // Gauge, Sum, Histogram, ...: data_points(1)
        Shape point = aggregation.message(1);
        int points = nested(() -> repeated(1, aggregation, () -> item(Signal.METRICS, point)));
        n = field == dataField ? n + points : points;
        dataField = field;
      } else {
        check(tag, metric, 0);
      }
    }
  }

  /** Walks one span / data point / log record field by field; checks id lengths (16 / 8 bytes or empty). */
  private int item(Signal signal, Shape type) throws IOException {
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        return 1;
      }
      int expected = idLength(signal, WireFormat.getTagFieldNumber(tag));
      if (expected > 0 && WireFormat.getTagWireType(tag) == LEN) {
        int len = in.readRawVarint32();
        if (len != 0 && len != expected) {
          throw new IOException("invalid id length " + len + " (expected " + expected + " bytes)");
        }
        in.skipRawBytes(len);
      } else {
        check(tag, type, 0);
      }
    }
  }

  private static int idLength(Signal signal, int field) {
    return switch (signal) {
      case TRACES -> field == 1 ? 16 : field == 2 || field == 4 ? 8 : 0; // trace_id, span_id, parent_span_id
      case LOGS -> field == 9 ? 16 : field == 10 ? 8 : 0; // trace_id, span_id
      case METRICS -> 0; // exemplar ids sit one level deeper and are forwarded as they are
    };
  }

  private int repeated(int field, Shape type, Counter inner) throws IOException {
    int wanted = tag(field, LEN);
    int n = 0;
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        return n;
      }
      if (tag == wanted) {
        n += nested(inner);
      } else {
        check(tag, type, 0);
      }
    }
  }

  private int nested(Counter inner) throws IOException {
    int len = in.readRawVarint32();
    int old = in.pushLimit(len); // throws when the length is negative or runs past the enclosing message
    int n = inner.count();
    if (!in.isAtEnd()) {
      throw new IOException("trailing bytes in nested message");
    }
    in.popLimit(old);
    return n;
  }

  /** Reads one field of a message of the given type: strings must be UTF-8, packed numbers whole, messages are walked. */
  private void check(int tag, Shape type, int depth) throws IOException {
    Shape.Field field = WireFormat.getTagWireType(tag) == LEN ? type.field(WireFormat.getTagFieldNumber(tag)) : null;
    if (field == null) {
      skip(tag);
      return;
    }
    switch (field.kind()) {
      case STRING -> {
        int len = in.readRawVarint32();
        int at = in.getTotalBytesRead();
        in.skipRawBytes(len); // throws when the string runs past its message
        if (!Utf8.isWellFormed(bytes, at, len)) {
          throw new IOException("a " + type.name() + " string field (" + WireFormat.getTagFieldNumber(tag)
              + ") is not valid UTF-8");
        }
      }
      case MESSAGE -> {
        if (depth >= MAX_DEPTH) {
          throw new IOException("attributes nested deeper than " + MAX_DEPTH + " levels");
        }
        int old = in.pushLimit(in.readRawVarint32());
        for (int t = in.readTag(); t != 0; t = in.readTag()) {
          check(t, field.message(), depth + 1);
        }
        in.popLimit(old);
      }
      case PACKED_VARINT -> {
        int old = in.pushLimit(in.readRawVarint32());
        while (!in.isAtEnd()) {
          in.readRawVarint64(); // throws on a varint cut by the field's end or longer than 10 bytes
        }
        in.popLimit(old);
      }
      case PACKED_FIXED32, PACKED_FIXED64 -> {
        int len = in.readRawVarint32();
        int size = field.kind() == Shape.Kind.PACKED_FIXED32 ? 4 : 8;
        if (len % size != 0) {
          throw new IOException("a packed " + type.name() + " field (" + WireFormat.getTagFieldNumber(tag)
              + ") of " + len + " bytes does not hold whole " + size + "-byte numbers");
        }
        in.skipRawBytes(len);
      }
    }
  }

  private void skip(int tag) throws IOException {
    if (!in.skipField(tag)) {
      throw new IOException("unexpected end-group tag");
    }
  }

  private static int tag(int field, int wireType) {
    return field << 3 | wireType;
  }

  @FunctionalInterface
  private interface Counter {
    int count() throws IOException;
  }
}
