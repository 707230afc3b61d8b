package dev.tracelight.collector.exporter;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.tracelight.collector.config.ExporterConfig;
import dev.tracelight.collector.otlp.OtlpJson;
import dev.tracelight.collector.pipeline.OtlpRequest;
import dev.tracelight.collector.pipeline.Signal;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Exporter {@code otlphttp} / {@code otlp_http}: POST to the signal's URL, protobuf as queued or OTLP/JSON, gzip by
 * default. Retryable per the OTLP spec: 429, 502, 503, 504 (honouring Retry-After) and transport failures.
 */
public final class OtlpHttpExporter implements Exporter {
  private static final Set<Integer> RETRYABLE = Set.of(429, 502, 503, 504);

  private final HttpClient client;
  private final ExporterConfig.OtlpHttp config;

  private OtlpHttpExporter(HttpClient client, ExporterConfig.OtlpHttp config) {
    this.client = client;
    this.config = config;
  }

  public static OtlpHttpExporter create(ExporterConfig.OtlpHttp config) throws IOException {
    HttpClient.Builder builder = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(config.timeout());
    if (config.tls().caFile() != null) {
      builder.sslContext(trusting(config.tls().caFile()));
    }
    return new OtlpHttpExporter(builder.build(), config);
  }

  @Override
  public ExportResult export(OtlpRequest request) throws InterruptedException {
    URI url = config.urls().get(request.signal());
    if (url == null) {
      return ExportResult.permanent("no " + request.signal().id() + "_endpoint configured");
    }
    HttpRequest.Builder http = HttpRequest.newBuilder(url).timeout(config.timeout());
    byte[] body;
    try {
      body = config.json() ? OtlpJson.toJson(request.signal(), request.bytes()) : request.bytes();
      if (config.gzip()) {
        body = Gzip.encode(body);
        http.header("Content-Encoding", "gzip");
      }
    } catch (IOException e) {
      return ExportResult.permanent("cannot encode request: " + e.getMessage());
    }
    http.header("Content-Type", config.json() ? "application/json" : "application/x-protobuf");
    config.headers().forEach(http::header);
    HttpResponse<byte[]> response;
    try {
      response = client.send(http.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      return ExportResult.retryable(url + ": " + e, null);
    }
    int code = response.statusCode();
    if (code / 100 == 2) {
      return config.json() ? ExportResult.success() : partialSuccess(request.signal(), response.body());
    }
    String message = url + ": HTTP " + code + " " + snippet(response.body());
    if (RETRYABLE.contains(code)) {
      return ExportResult.retryable(message, retryAfter(response.headers().firstValue("Retry-After").orElse(null)));
    }
    return ExportResult.permanent(message);
  }

  @Override
  public void close() {
    // HttpClient has no close on Java 17; its threads end with the last reference.
  }

  /** Retry-After as seconds or an HTTP date; null if absent or unreadable. */
  static Duration retryAfter(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Duration.ofSeconds(Long.parseLong(value.trim()));
    } catch (NumberFormatException e) {
      try {
        Duration d = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(value.trim(),
            DateTimeFormatter.RFC_1123_DATE_TIME));
        return d.isNegative() ? Duration.ZERO : d;
      } catch (RuntimeException notADate) {
        return null;
      }
    }
  }

  private static ExportResult partialSuccess(Signal signal, byte[] body) {
    try {
      long rejected;
      String message;
      switch (signal) {
        case TRACES -> {
          var p = ExportTraceServiceResponse.parseFrom(body).getPartialSuccess();
          rejected = p.getRejectedSpans();
          message = p.getErrorMessage();
        }
        case METRICS -> {
          var p = ExportMetricsServiceResponse.parseFrom(body).getPartialSuccess();
          rejected = p.getRejectedDataPoints();
          message = p.getErrorMessage();
        }
        default -> {
          var p = ExportLogsServiceResponse.parseFrom(body).getPartialSuccess();
          rejected = p.getRejectedLogRecords();
          message = p.getErrorMessage();
        }
      }
      return rejected == 0 ? ExportResult.success() : ExportResult.partial(rejected, message);
    } catch (InvalidProtocolBufferException e) {
      return ExportResult.success();
    }
  }

  private static String snippet(byte[] body) {
    String s = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
    return s.replaceAll("[^\\p{Print}]", "?");
  }

  private static SSLContext trusting(String caFile) throws IOException {
    try (InputStream in = java.nio.file.Files.newInputStream(java.nio.file.Path.of(caFile))) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("ca-" + i++, c);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, tmf.getTrustManagers(), null);
      return ssl;
    } catch (GeneralSecurityException e) {
      throw new IOException(caFile + ": cannot read CA certificates: " + e.getMessage(), e);
    }
  }

}
