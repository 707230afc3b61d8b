package dev.tracelight.collector.pipeline;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads OTLP export requests at the protobuf wire level, without building message objects: it counts items, checks the
 * structure down to each item (tags, lengths, id sizes) and finds resource boundaries for splitting. The walk follows
 * opentelemetry-proto: request.1 = Resource*; Resource*.2 = Scope*; ScopeSpans.2 = Span, ScopeLogs.2 = LogRecord,
 * ScopeMetrics.2 = Metric whose gauge(5)/sum(7)/histogram(9)/exponential_histogram(10)/summary(11) hold data_points(1).
 */
public final class OtlpWire {
  private static final int LEN = WireFormat.WIRETYPE_LENGTH_DELIMITED;
  private static final int FIELD_1_LEN = tag(1, LEN);

  private OtlpWire() {}

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
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    try {
      while (true) {
        int start = in.getTotalBytesRead();
        int tag = in.readTag();
        if (tag == 0) {
          return chunks;
        }
        if (tag == FIELD_1_LEN) {
          int items = nested(in, () -> resource(signal, in));
          chunks.add(new Chunk(start, in.getTotalBytesRead() - start, items));
        } else if (!in.skipField(tag)) {
          throw new InvalidOtlpException("unexpected end-group tag");
        }
      }
    } catch (IOException e) {
      throw new InvalidOtlpException("not a valid OTLP " + signal.id() + " request: " + e.getMessage(), e);
    }
  }

  private static int resource(Signal signal, CodedInputStream in) throws IOException {
    return repeated(in, 2, () -> repeated(in, 2, signal == Signal.METRICS ? () -> metric(in) : () -> item(signal, in)));
  }

  private static int metric(CodedInputStream in) throws IOException {
    int n = 0;
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        return n;
      }
      int field = WireFormat.getTagFieldNumber(tag);
      boolean data = field == 5 || field == 7 || field == 9 || field == 10 || field == 11;
      if (data && WireFormat.getTagWireType(tag) == LEN) {
        n += nested(in, () -> repeated(in, 1, () -> item(Signal.METRICS, in)));
      } else {
        skip(in, tag);
      }
    }
  }

  /** Walks one span / data point / log record field by field; checks id lengths (16 / 8 bytes or empty). */
  private static int item(Signal signal, CodedInputStream in) throws IOException {
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
        skip(in, tag);
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

  private static int repeated(CodedInputStream in, int field, Counter inner) throws IOException {
    int wanted = tag(field, LEN);
    int n = 0;
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        return n;
      }
      if (tag == wanted) {
        n += nested(in, inner);
      } else {
        skip(in, tag);
      }
    }
  }

  private static int nested(CodedInputStream in, Counter inner) throws IOException {
    int len = in.readRawVarint32();
    int old = in.pushLimit(len); // throws when the length is negative or runs past the enclosing message
    int n = inner.count();
    if (!in.isAtEnd()) {
      throw new IOException("trailing bytes in nested message");
    }
    in.popLimit(old);
    return n;
  }

  private static void skip(CodedInputStream in, int tag) throws IOException {
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
