package dev.tracelight.collector.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.tracelight.collector.OtlpSamples;
import dev.tracelight.collector.pipeline.InvalidOtlpException;
import dev.tracelight.collector.pipeline.Signal;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class OtlpJsonTest {

  @Test
  void readsHexIdsIntegerEnumsAndStringInt64sAndIgnoresUnknownFields() throws Exception {
    String json = """
        {"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"5B8EFFF798038103D269B633813FC60C",
          "spanId":"eee19b7ec3c1b174","name":"op","kind":3,"startTimeUnixNano":"1544712660000000000",
          "links":[{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331"}],
          "newField":{"x":1}}]}]}]}
        """;

    ExportTraceServiceRequest r = ExportTraceServiceRequest.parseFrom(
        OtlpJson.toProto(Signal.TRACES, json.getBytes(StandardCharsets.UTF_8)));

    Span span = r.getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertThat(hex(span.getTraceId().toByteArray())).isEqualTo("5b8efff798038103d269b633813fc60c");
    assertThat(hex(span.getSpanId().toByteArray())).isEqualTo("eee19b7ec3c1b174");
    assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
    assertThat(span.getStartTimeUnixNano()).isEqualTo(1544712660000000000L);
    assertThat(hex(span.getLinks(0).getTraceId().toByteArray())).isEqualTo("0af7651916cd43dd8448eb211c80319c");
  }

  @Test
  void writesHexIdsAndIntegerEnums() throws Exception {
    ExportTraceServiceRequest request = OtlpSamples.traces("j", 1, 1);
    Span span = request.getResourceSpans(0).getScopeSpans(0).getSpans(0);

    byte[] json = OtlpJson.toJson(Signal.TRACES, request.toByteArray());

    JsonObject written = JsonParser.parseString(new String(json, StandardCharsets.UTF_8)).getAsJsonObject()
        .getAsJsonArray("resourceSpans").get(0).getAsJsonObject().getAsJsonArray("scopeSpans").get(0).getAsJsonObject()
        .getAsJsonArray("spans").get(0).getAsJsonObject();
    assertThat(written.get("traceId").getAsString()).isEqualTo(hex(span.getTraceId().toByteArray()));
    assertThat(written.get("spanId").getAsString()).isEqualTo(hex(span.getSpanId().toByteArray()));
    assertThat(written.get("kind").getAsInt()).isEqualTo(2);
    assertThat(ExportTraceServiceRequest.parseFrom(OtlpJson.toProto(Signal.TRACES, json))).isEqualTo(request);
  }

  @Test
  void roundTripsLogsWithTheirIds() throws Exception {
    ExportLogsServiceRequest logs = OtlpSamples.logs("l", 3);

    byte[] back = OtlpJson.toProto(Signal.LOGS, OtlpJson.toJson(Signal.LOGS, logs.toByteArray()));

    assertThat(ExportLogsServiceRequest.parseFrom(back)).isEqualTo(logs);
  }

  @Test
  void rejectsBadIdsAndNonObjects() {
    assertThatThrownBy(() -> OtlpJson.toProto(Signal.TRACES,
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"spanId\":\"zz\"}]}]}]}".getBytes()))
        .isInstanceOf(InvalidOtlpException.class).hasMessageContaining("invalid spanId \"zz\" (expected 16 hex digits)");
    assertThatThrownBy(() -> OtlpJson.toProto(Signal.TRACES, "[1,2]".getBytes()))
        .isInstanceOf(InvalidOtlpException.class);
    assertThatThrownBy(() -> OtlpJson.toProto(Signal.TRACES, "{\"resourceSpans\": 5}".getBytes()))
        .isInstanceOf(InvalidOtlpException.class);
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
