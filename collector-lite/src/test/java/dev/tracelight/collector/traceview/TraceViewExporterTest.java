package dev.tracelight.collector.traceview;

import static dev.tracelight.collector.traceview.SpanFixtures.request;
import static dev.tracelight.collector.traceview.SpanFixtures.span;
import static dev.tracelight.collector.traceview.SpanFixtures.traceId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonParser;
import dev.tracelight.collector.config.HostPort;
import dev.tracelight.collector.exporter.ExportResult;
import dev.tracelight.collector.pipeline.OtlpRequest;
import dev.tracelight.collector.pipeline.Signal;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TraceViewExporterTest {

  @Test
  void storesEveryTraceOfABatchMadeByConcatenatingRequestsAndServesIt() throws Exception {
    // the batch processor joins requests by concatenating their bytes; the exporter must read them as one
    ByteArrayOutputStream batch = new ByteArrayOutputStream();
    request("frontend", span(1, 1, 0, "GET /a", 0, 10)).writeTo(batch);
    request("backend", span(1, 2, 1, "query", 2, 8), span(2, 1, 0, "GET /b", 20, 30)).writeTo(batch);
    OtlpRequest otlp = OtlpRequest.parse(Signal.TRACES, batch.toByteArray());
    assertThat(otlp.items()).isEqualTo(3);

    try (TraceViewExporter exporter = TraceViewExporter.start("traceview", new HostPort("127.0.0.1", 0),
        TraceStore.create(10, 100, Duration.ZERO))) {
      assertThat(exporter.export(otlp)).isEqualTo(ExportResult.success());

      assertThat(exporter.store().usage().spans()).isEqualTo(3);
      HttpResponse<String> list = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + exporter.address().getPort() + "/api/traces")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(list.statusCode()).isEqualTo(200);
      assertThat(JsonParser.parseString(list.body()).getAsJsonObject().getAsJsonArray("traces"))
          .extracting(t -> t.getAsJsonObject().get("traceId").getAsString() + " " + t.getAsJsonObject()
              .get("spanCount").getAsInt())
          .containsExactly(traceId(2) + " 1", traceId(1) + " 2");
    }
  }

  @Test
  void acknowledgesOtherSignalsWithoutStoringThem() throws Exception {
    byte[] metrics = ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder().setName("m")))).build().toByteArray();

    try (TraceViewExporter exporter = TraceViewExporter.start("traceview", new HostPort("127.0.0.1", 0),
        TraceStore.create(10, 100, Duration.ZERO))) {
      assertThat(exporter.export(OtlpRequest.parse(Signal.METRICS, metrics))).isEqualTo(ExportResult.success());
      assertThat(exporter.store().usage().spans()).isZero();
      assertThat(exporter.store().usage().traces()).isZero();
    }
  }

  @Test
  void failsToStartNamingTheExporterAndAddressWhenThePortIsTaken() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      HostPort endpoint = new HostPort("127.0.0.1", taken.getLocalPort());
      assertThatThrownBy(() -> TraceViewExporter.start("traceview/local", endpoint,
          TraceStore.create(10, 100, Duration.ZERO)))
          .hasMessageStartingWith("exporter traceview/local: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": ");
    }
  }
}
