package dev.tracelight.samples.hello;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * A tiny OTLP/HTTP (protobuf) trace receiver for the demo: collects spans and, when stopped, prints every trace as an
 * indented tree. Usage: {@code SpanPrinter [port]}; prints {@code LISTENING <port>}. Not a collector: see
 * collector-lite for that.
 */
public final class SpanPrinter {
  private final List<Received> spans = new ArrayList<>();

  private record Received(String service, Span span) {}

  public static void main(String[] args) throws IOException {
    SpanPrinter printer = new SpanPrinter();
    HttpServer server = HttpServer.create(
        new InetSocketAddress("127.0.0.1", args.length > 0 ? Integer.parseInt(args[0]) : 0), 0);
    server.createContext("/", exchange -> {
      try (InputStream body = "gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))
          ? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody()) {
        byte[] bytes = body.readAllBytes();
        if ("/v1/traces".equals(exchange.getRequestURI().getPath())) {
          printer.add(ExportTraceServiceRequest.parseFrom(bytes));
        }
      }
      byte[] response = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
      exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, response.length == 0 ? -1 : response.length);
      exchange.close();
    });
    server.start();
    Runtime.getRuntime().addShutdownHook(new Thread(printer::print));
    System.out.println("LISTENING " + server.getAddress().getPort());
  }

  private synchronized void add(ExportTraceServiceRequest request) {
    for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
      String service = attribute(resourceSpans.getResource().getAttributesList(), "service.name");
      for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
        for (Span span : scopeSpans.getSpansList()) {
          spans.add(new Received(service, span));
        }
      }
    }
  }

  private synchronized void print() {
    Map<String, List<Received>> traces = new LinkedHashMap<>();
    spans.stream().sorted(Comparator.comparingLong(r -> r.span().getStartTimeUnixNano()))
        .forEach(r -> traces.computeIfAbsent(hex(r.span().getTraceId().toByteArray()), k -> new ArrayList<>()).add(r));
    System.out.println(spans.size() + " spans in " + traces.size() + " traces");
    traces.forEach((traceId, members) -> {
      System.out.println("trace " + traceId);
      for (Received root : members) {
        String parent = hex(root.span().getParentSpanId().toByteArray());
        boolean parentHere = members.stream()
            .anyMatch(other -> hex(other.span().getSpanId().toByteArray()).equals(parent));
        if (!parentHere) {
          printTree(root, members, 1);
        }
      }
    });
    System.out.flush();
  }

  private static void printTree(Received node, List<Received> members, int depth) {
    Span span = node.span();
    String where = attribute(span.getAttributesList(), span.getKind() == Span.SpanKind.SPAN_KIND_CLIENT
        ? "url.full" : "url.path");
    String status = attribute(span.getAttributesList(), "http.response.status_code");
    System.out.printf("%s%s %s -> %s   [%s %s, %.1f ms%s]%n", "  ".repeat(depth), span.getName(), where,
        status.isEmpty() ? "no response" : status, node.service(),
        span.getKind().name().substring("SPAN_KIND_".length()),
        (span.getEndTimeUnixNano() - span.getStartTimeUnixNano()) / 1e6,
        span.getStatus().getCode() == io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR
            ? ", ERROR" : "");
    String id = hex(span.getSpanId().toByteArray());
    for (Received child : members) {
      if (hex(child.span().getParentSpanId().toByteArray()).equals(id)) {
        printTree(child, members, depth + 1);
      }
    }
  }

  private static String attribute(List<KeyValue> attributes, String key) {
    for (KeyValue attribute : attributes) {
      if (attribute.getKey().equals(key)) {
        return attribute.getValue().hasIntValue() ? Long.toString(attribute.getValue().getIntValue())
            : attribute.getValue().getStringValue();
      }
    }
    return "";
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
