package dev.tracelight.collector.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracelight.collector.OtlpSamples;
import dev.tracelight.collector.pipeline.OtlpRequest;
import dev.tracelight.collector.pipeline.Signal;
import dev.tracelight.collector.telemetry.Log;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DebugExporterTest {
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private final ExportTraceServiceRequest request = OtlpSamples.traces("dbg", 1, 2);

  @AfterEach
  void restore() {
    Log.setOutput(System.err);
  }

  @Test
  void basicWritesOneLineOfCounts() throws Exception {
    String out = export("basic");

    assertThat(out.lines().filter(l -> l.contains(" debug: "))).singleElement().asString()
        .endsWith("INFO debug: traces: 2 spans, " + request.getSerializedSize() + " bytes");
    assertThat(out.lines().filter(l -> l.startsWith("  span "))).isEmpty();
  }

  @Test
  void normalWritesOneLinePerSpanWithHexIds() throws Exception {
    String out = export("normal");

    Span first = request.getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertThat(out.lines().filter(l -> l.startsWith("  span "))).hasSize(2);
    assertThat(out).contains("  span dbg-0-0 trace=" + HexFormat.of().formatHex(first.getTraceId().toByteArray())
        + " span=" + HexFormat.of().formatHex(first.getSpanId().toByteArray()) + " kind=2 attributes=1");
  }

  @Test
  void detailedWritesTheWholeRequest() throws Exception {
    String out = export("detailed");

    assertThat(out).contains("name: \"dbg-0-1\"").contains("key: \"service.name\"");
  }

  private String export(String verbosity) throws Exception {
    Log.setOutput(new PrintStream(log, true, StandardCharsets.UTF_8));
    ExportResult r = DebugExporter.create("debug", verbosity)
        .export(OtlpRequest.parse(Signal.TRACES, request.toByteArray()));
    assertThat(r).isEqualTo(ExportResult.success());
    return log.toString(StandardCharsets.UTF_8);
  }
}
