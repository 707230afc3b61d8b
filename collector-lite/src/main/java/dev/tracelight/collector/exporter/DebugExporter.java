package dev.tracelight.collector.exporter;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import dev.tracelight.collector.otlp.OtlpJson;
import dev.tracelight.collector.pipeline.OtlpRequest;
import dev.tracelight.collector.telemetry.Log;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.util.HexFormat;

/**
 * Exporter {@code debug}: writes what passes to the log. {@code basic}: one line of counts per batch (no decoding);
 * {@code normal}: one line per span / metric / log record; {@code detailed}: the whole request in protobuf text form.
 */
public final class DebugExporter implements Exporter {
  private final String id;
  private final String verbosity;

  private DebugExporter(String id, String verbosity) {
    this.id = id;
    this.verbosity = verbosity;
  }

  public static DebugExporter create(String id, String verbosity) {
    return new DebugExporter(id, verbosity);
  }

  @Override
  public ExportResult export(OtlpRequest request) {
    StringBuilder out = new StringBuilder();
    out.append(id).append(": ").append(request.signal().id()).append(": ").append(request.items()).append(' ')
        .append(request.signal().itemName()).append(", ").append(request.size()).append(" bytes");
    if (!verbosity.equals("basic")) {
      try {
        Message m = OtlpJson.parse(request.signal(), request.bytes());
        if (verbosity.equals("detailed")) {
          out.append('\n').append(TextFormat.printer().printToString(m));
        } else {
          describe(m, out);
        }
      } catch (InvalidProtocolBufferException e) {
        out.append(" (cannot decode: ").append(e.getMessage()).append(')');
      }
    }
    Log.info(out.toString());
    return ExportResult.success();
  }

  @Override
  public void close() {}

  private static void describe(Message m, StringBuilder out) {
    HexFormat hex = HexFormat.of();
    if (m instanceof ExportTraceServiceRequest t) {
      t.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(ss -> ss.getSpansList().forEach(s ->
          out.append("\n  span ").append(s.getName()).append(" trace=").append(hex.formatHex(s.getTraceId().toByteArray()))
              .append(" span=").append(hex.formatHex(s.getSpanId().toByteArray())).append(" kind=").append(s.getKindValue())
              .append(" attributes=").append(s.getAttributesCount()))));
    } else if (m instanceof ExportMetricsServiceRequest r) {
      r.getResourceMetricsList().forEach(rm -> rm.getScopeMetricsList().forEach(sm -> sm.getMetricsList().forEach(x ->
          out.append("\n  metric ").append(x.getName()).append(' ').append(x.getDataCase()))));
    } else if (m instanceof ExportLogsServiceRequest l) {
      l.getResourceLogsList().forEach(rl -> rl.getScopeLogsList().forEach(sl -> sl.getLogRecordsList().forEach(x ->
          out.append("\n  log ").append(x.getSeverityText()).append(' ')
              .append(x.getBody().hasStringValue() ? x.getBody().getStringValue() : x.getBody().toString().trim()))));
    }
  }
}
