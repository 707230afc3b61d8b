package dev.tracelight.collector.pipeline;

import com.google.common.base.Utf8;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Reads OTLP export requests at the protobuf wire level, without building message objects: it counts items, checks the
 * structure down to each item (tags, lengths, id sizes) and finds resource boundaries for splitting. The walk follows
 * opentelemetry-proto: request.1 = Resource*; Resource*.2 = Scope*; ScopeSpans.2 = Span, ScopeLogs.2 = LogRecord,
 * ScopeMetrics.2 = Metric whose gauge(5)/sum(7)/histogram(9)/exponential_histogram(10)/summary(11) hold data_points(1).
 *
 * <p>Every {@code string} field on the way (names, attribute keys and values, nested to {@link #MAX_DEPTH} levels) is
 * checked to be UTF-8, as protobuf parsers in backends require: a request they would reject must be refused here
 * with a 400, not accepted and then dropped at export together with the good requests batched with it.
 */
public final class OtlpWire {
  private static final int LEN = WireFormat.WIRETYPE_LENGTH_DELIMITED;
  private static final int FIELD_1_LEN = tag(1, LEN);
  /** AnyValue nesting (kvlist in array in kvlist...) beyond this is refused; protobuf-java's parser stops at 100. */
  static final int MAX_DEPTH = 64;
  private static final String STRING = "string";
  /** Where strings and nested messages sit, per message type; what is not listed is skipped unchecked. */
  private static final Map<String, Map<Integer, String>> SCHEMA = Map.ofEntries(
      Map.entry("KeyValue", Map.of(1, STRING, 2, "AnyValue")),
      Map.entry("AnyValue", Map.of(1, STRING, 5, "ArrayValue", 6, "KeyValueList")),
      Map.entry("ArrayValue", Map.of(1, "AnyValue")),
      Map.entry("KeyValueList", Map.of(1, "KeyValue")),
      Map.entry("Resource", Map.of(1, "KeyValue")),
      Map.entry("InstrumentationScope", Map.of(1, STRING, 2, STRING, 3, "KeyValue")),
      Map.entry("ResourceEntry", Map.of(1, "Resource", 3, STRING)),
      Map.entry("ScopeEntry", Map.of(1, "InstrumentationScope", 3, STRING)),
      Map.entry("Span", Map.of(3, STRING, 5, STRING, 9, "KeyValue", 11, "Event", 13, "Link", 15, "Status")),
      Map.entry("Event", Map.of(2, STRING, 3, "KeyValue")),
      Map.entry("Link", Map.of(3, STRING, 4, "KeyValue")),
      Map.entry("Status", Map.of(2, STRING)),
      Map.entry("LogRecord", Map.of(3, STRING, 5, "AnyValue", 6, "KeyValue", 12, STRING)),
      Map.entry("Metric", Map.of(1, STRING, 2, STRING, 3, STRING, 12, "KeyValue")),
      Map.entry("NumberDataPoint", Map.of(7, "KeyValue", 5, "Exemplar")),
      Map.entry("HistogramDataPoint", Map.of(9, "KeyValue", 8, "Exemplar")),
      Map.entry("ExponentialHistogramDataPoint", Map.of(1, "KeyValue", 11, "Exemplar")),
      Map.entry("SummaryDataPoint", Map.of(7, "KeyValue")),
      Map.entry("Exemplar", Map.of(7, "KeyValue")));
  /** SCHEMA's type names, in the order of the rows of {@link #KINDS}. */
  private static final List<String> TYPES = List.copyOf(SCHEMA.keySet());
  private static final int NO_TYPE = -1;
  private static final int SKIP = -1;
  private static final int UTF8 = -2;
  /**
   * SCHEMA as arrays for the walk's inner loop: {@code KINDS[type][field]} is {@link #UTF8}, {@link #SKIP}, or the type
   * of the nested message. With two map look-ups per field and a ByteBuffer per string, the walk was half of the gRPC
   * receiver's CPU samples and took ~200 µs per request of 100 spans under C1; ~65 µs like this (issue 9).
   */
  private static final int[][] KINDS = kinds();
  private static final int RESOURCE_ENTRY = type("ResourceEntry");
  private static final int SCOPE_ENTRY = type("ScopeEntry");
  private static final int METRIC = type("Metric");
  private static final int SPAN = type("Span");
  private static final int LOG_RECORD = type("LogRecord");
  private static final int NUMBER_POINT = type("NumberDataPoint");
  private static final int HISTOGRAM_POINT = type("HistogramDataPoint");
  private static final int EXPONENTIAL_HISTOGRAM_POINT = type("ExponentialHistogramDataPoint");
  private static final int SUMMARY_POINT = type("SummaryDataPoint");

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
    return repeated(2, RESOURCE_ENTRY, () -> repeated(2, SCOPE_ENTRY,
        signal == Signal.METRICS ? this::metric : () -> item(signal, signal == Signal.TRACES ? SPAN : LOG_RECORD)));
  }

  /**
   * The data points of one Metric. Its data fields are a oneof: a backend's parser merges repeats of the same field
   * and lets a different one replace it, so only the points of the last data field on the wire count.
   */
  private int metric() throws IOException {
    int n = 0;
    int dataField = 0;
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        return n;
      }
      int field = WireFormat.getTagFieldNumber(tag);
      int point = switch (field) {
        case 5, 7 -> NUMBER_POINT;
        case 9 -> HISTOGRAM_POINT;
        case 10 -> EXPONENTIAL_HISTOGRAM_POINT;
        case 11 -> SUMMARY_POINT;
        default -> NO_TYPE;
      };
      if (point != NO_TYPE && WireFormat.getTagWireType(tag) == LEN) {
        int points = nested(() -> repeated(1, NO_TYPE, () -> item(Signal.METRICS, point)));
        n = field == dataField ? n + points : points;
        dataField = field;
      } else {
        check(tag, METRIC, 0);
      }
    }
  }

  /** Walks one span / data point / log record field by field; checks id lengths (16 / 8 bytes or empty). */
  private int item(Signal signal, int type) throws IOException {
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

  private int repeated(int field, int type, Counter inner) throws IOException {
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

  /** Reads one field of a message of the given type: strings must be UTF-8, listed messages are walked too. */
  private void check(int tag, int type, int depth) throws IOException {
    int field = WireFormat.getTagFieldNumber(tag);
    int kind = type == NO_TYPE || WireFormat.getTagWireType(tag) != LEN || field >= KINDS[type].length ? SKIP
        : KINDS[type][field];
    if (kind == SKIP) {
      skip(tag);
    } else if (kind == UTF8) {
      int length = in.readRawVarint32();
      int start = in.getTotalBytesRead();
      in.skipRawBytes(length); // throws when the length is negative or runs past the enclosing message
      if (!Utf8.isWellFormed(bytes, start, length)) {
        throw new IOException("a " + TYPES.get(type) + " string field (" + field + ") is not valid UTF-8");
      }
    } else {
      if (depth >= MAX_DEPTH) {
        throw new IOException("attributes nested deeper than " + MAX_DEPTH + " levels");
      }
      int old = in.pushLimit(in.readRawVarint32());
      for (int t = in.readTag(); t != 0; t = in.readTag()) {
        check(t, kind, depth + 1);
      }
      in.popLimit(old);
    }
  }

  private void skip(int tag) throws IOException {
    if (!in.skipField(tag)) {
      throw new IOException("unexpected end-group tag");
    }
  }

  private static int[][] kinds() {
    int[][] kinds = new int[TYPES.size()][];
    for (int t = 0; t < kinds.length; t++) {
      Map<Integer, String> fields = SCHEMA.get(TYPES.get(t));
      int[] row = new int[fields.keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1];
      Arrays.fill(row, SKIP);
      fields.forEach((field, kind) -> row[field] = kind.equals(STRING) ? UTF8 : type(kind));
      kinds[t] = row;
    }
    return kinds;
  }

  private static int type(String name) {
    int index = TYPES.indexOf(name);
    if (index < 0) {
      throw new IllegalStateException("no message type " + name + " in SCHEMA");
    }
    return index;
  }

  private static int tag(int field, int wireType) {
    return field << 3 | wireType;
  }

  @FunctionalInterface
  private interface Counter {
    int count() throws IOException;
  }
}
