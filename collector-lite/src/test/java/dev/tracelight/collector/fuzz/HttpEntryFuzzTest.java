package dev.tracelight.collector.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tracelight.collector.Collector;
import dev.tracelight.collector.OtlpSamples;
import dev.tracelight.collector.config.ConfigReader;
import dev.tracelight.collector.pipeline.Signal;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;

/**
 * The OTLP/HTTP entry point of a running collector-lite, over a real socket: any path signal, content type, encoding
 * and body gets 200 or a 4xx (never a 5xx, a reset or a hang; the client times out after 10 s), and the receiver still
 * takes a good request afterwards.
 */
class HttpEntryFuzzTest {
  private static final Set<Integer> DEFINED = Set.of(200, 400, 413, 415);
  private static final List<String> TYPES = List.of("application/x-protobuf", "application/json", "text/plain");
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static Collector collector;
  private static URI base;

  @FuzzTest(maxDuration = "8s")
  void everyRequestGetsOkOrA4xxAndNothingElse(FuzzedDataProvider data) throws Exception {
    Signal signal = data.pickValue(Signal.values());
    String type = data.pickValue(TYPES);
    int encoding = data.consumeInt(0, 2); // none, gzip of the body, body sent as if it were gzip
    byte[] body = data.consumeRemainingAsBytes();
    HttpRequest.Builder request = HttpRequest.newBuilder(base().resolve(signal.httpPath()))
        .timeout(Duration.ofSeconds(10)).header("Content-Type", type);
    if (encoding > 0) {
      request.header("Content-Encoding", "gzip");
    }
    int status = HTTP.send(request.POST(HttpRequest.BodyPublishers.ofByteArray(encoding == 1 ? gzip(body) : body))
        .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    assertThat(status).as("status for %s %s (%d bytes, encoding %d)", signal, type, body.length, encoding)
        .isIn(DEFINED);
  }

  @AfterAll
  static void stillServesAGoodRequest() throws Exception {
    if (collector == null) {
      return;
    }
    try {
      int status = HTTP.send(HttpRequest.newBuilder(base.resolve("/v1/traces"))
          .header("Content-Type", "application/x-protobuf")
          .POST(HttpRequest.BodyPublishers.ofByteArray(OtlpSamples.traces("after", 1, 3).toByteArray())).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
      assertThat(status).isEqualTo(200);
    } finally {
      collector.shutdown(Duration.ofSeconds(1));
      collector = null;
    }
  }

  /** One collector for the whole run (starting one per input would measure start-up, not the receiver). */
  private static synchronized URI base() throws Exception {
    if (collector == null) {
      collector = Collector.start(ConfigReader.create(Map.of(), false, Runtime.getRuntime().maxMemory())
          .read("fuzz.yaml", """
              receivers:
                otlp:
                  protocols:
                    http: {endpoint: "127.0.0.1:0", max_request_body_size: 1048576}
              exporters:
                debug: {verbosity: basic}
              service:
                telemetry: {metrics: {level: none}, logs: {level: error}}
                pipelines:
                  traces: {receivers: [otlp], exporters: [debug]}
                  metrics: {receivers: [otlp], exporters: [debug]}
                  logs: {receivers: [otlp], exporters: [debug]}
              """));
      base = URI.create("http://127.0.0.1:" + collector.httpAddress("otlp").getPort());
    }
    return base;
  }

  private static byte[] gzip(byte[] body) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(body);
    }
    return out.toByteArray();
  }
}
