package dev.tracelight.collector.otlp;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.tracelight.collector.pipeline.InvalidOtlpException;
import dev.tracelight.collector.pipeline.Signal;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/**
 * OTLP/JSON. protobuf's JsonFormat handles lowerCamelCase, integer enums, int64-as-string and unknown fields, but it
 * reads and writes {@code bytes} as base64, while OTLP/JSON writes trace and span ids as hex. So ids are translated in
 * the JSON tree around JsonFormat: hex to base64 before parsing, base64 to hex after printing. Ids are the only bytes
 * fields in OTLP besides AnyValue.bytesValue, which stays base64 as the spec says.
 */
public final class OtlpJson {
  private static final Set<String> ID_FIELDS = Set.of("traceId", "spanId", "parentSpanId", "trace_id", "span_id",
      "parent_span_id");
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer().printingEnumsAsInts()
      .omittingInsignificantWhitespace();
  private static final Map<Signal, Message> PROTOTYPES = Map.of(
      Signal.TRACES, ExportTraceServiceRequest.getDefaultInstance(),
      Signal.METRICS, ExportMetricsServiceRequest.getDefaultInstance(),
      Signal.LOGS, ExportLogsServiceRequest.getDefaultInstance());

  private OtlpJson() {}

  /** OTLP/JSON request body to protobuf bytes. */
  public static byte[] toProto(Signal signal, byte[] json) throws InvalidOtlpException {
    try {
      // strict: a lenient decoder would turn invalid bytes into U+FFFD and accept data the client never sent
      String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(json)).toString();
      JsonElement tree = JsonParser.parseString(text); // Gson refuses nesting deeper than 255
      if (!tree.isJsonObject()) {
        throw new InvalidOtlpException("OTLP/JSON body must be a JSON object");
      }
      hexToBase64(tree);
      Message.Builder builder = PROTOTYPES.get(signal).newBuilderForType();
      PARSER.merge(tree.toString(), builder);
      return builder.build().toByteArray();
    } catch (JsonParseException | InvalidProtocolBufferException | IllegalArgumentException e) {
      throw new InvalidOtlpException("not a valid OTLP/JSON " + signal.id() + " request: " + e.getMessage(), e);
    } catch (CharacterCodingException e) {
      throw new InvalidOtlpException("OTLP/JSON body is not valid UTF-8 (" + e + ")", e);
    }
  }

  /** Protobuf bytes to an OTLP/JSON body. */
  public static byte[] toJson(Signal signal, byte[] proto) throws InvalidProtocolBufferException {
    Message message = PROTOTYPES.get(signal).getParserForType().parseFrom(proto);
    JsonElement tree = JsonParser.parseString(PRINTER.print(message));
    base64ToHex(tree);
    return tree.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Parses protobuf bytes of a request, for exporters that show the content (debug). */
  public static Message parse(Signal signal, byte[] proto) throws InvalidProtocolBufferException {
    return PROTOTYPES.get(signal).getParserForType().parseFrom(proto);
  }

  private static void hexToBase64(JsonElement e) throws InvalidOtlpException {
    if (e.isJsonArray()) {
      for (JsonElement c : e.getAsJsonArray()) {
        hexToBase64(c);
      }
    } else if (e.isJsonObject()) {
      JsonObject o = e.getAsJsonObject();
      for (Map.Entry<String, JsonElement> f : o.entrySet()) {
        if (ID_FIELDS.contains(f.getKey()) && f.getValue().isJsonPrimitive()) {
          String hex = f.getValue().getAsString();
          int expected = f.getKey().startsWith("trace") ? 32 : 16;
          if (!hex.isEmpty() && (hex.length() != expected || !hex.matches("[0-9a-fA-F]+"))) {
            throw new InvalidOtlpException("invalid " + f.getKey() + " \"" + hex + "\" (expected " + expected
                + " hex digits)");
          }
          f.setValue(new JsonPrimitive(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex))));
        } else {
          hexToBase64(f.getValue());
        }
      }
    }
  }

  private static void base64ToHex(JsonElement e) {
    if (e.isJsonArray()) {
      for (JsonElement c : e.getAsJsonArray()) {
        base64ToHex(c);
      }
    } else if (e.isJsonObject()) {
      for (Map.Entry<String, JsonElement> f : e.getAsJsonObject().entrySet()) {
        if (ID_FIELDS.contains(f.getKey()) && f.getValue().isJsonPrimitive()) {
          f.setValue(new JsonPrimitive(HexFormat.of().formatHex(Base64.getDecoder().decode(f.getValue().getAsString()))));
        } else {
          base64ToHex(f.getValue());
        }
      }
    }
  }
}
