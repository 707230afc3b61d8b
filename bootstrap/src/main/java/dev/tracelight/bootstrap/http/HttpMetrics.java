package dev.tracelight.bootstrap.http;

import dev.tracelight.bootstrap.Tracing;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.Meter;
import java.util.Arrays;
import java.util.List;

/**
 * {@code http.server.request.duration} and {@code http.client.request.duration}: histograms in seconds with the
 * spec's bucket boundaries and its low-cardinality attributes (never the path or the full URL).
 */
final class HttpMetrics {
  // The HTTP semantic conventions' advice for both histograms.
  static final List<Double> BUCKETS =
      Arrays.asList(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0);
  private static final double NANOS_PER_SECOND = 1_000_000_000.0;

  // Built on first use after the agent installed its SDK, and again if it is replaced (tests).
  private static volatile Instruments instruments;

  private HttpMetrics() {}

  static void recordServer(HttpCall call, int statusCode, String errorType) {
    AttributesBuilder attributes = common(call, statusCode, errorType)
        .put(HttpAttributes.URL_SCHEME, call.scheme);
    if (call.route != null) {
      attributes.put(HttpAttributes.HTTP_ROUTE, call.route);
    }
    instruments().server.record(seconds(call), attributes.build());
  }

  static void recordClient(HttpCall call, int statusCode, String errorType) {
    AttributesBuilder attributes = common(call, statusCode, errorType);
    if (call.serverAddress != null) {
      attributes.put(HttpAttributes.SERVER_ADDRESS, call.serverAddress);
    }
    if (call.serverPort > 0) {
      attributes.put(HttpAttributes.SERVER_PORT, call.serverPort);
    }
    instruments().client.record(seconds(call), attributes.build());
  }

  private static AttributesBuilder common(HttpCall call, int statusCode, String errorType) {
    AttributesBuilder attributes = Attributes.builder().put(HttpAttributes.HTTP_REQUEST_METHOD, call.method);
    if (statusCode > 0) {
      attributes.put(HttpAttributes.HTTP_RESPONSE_STATUS_CODE, statusCode);
    }
    if (errorType != null) {
      attributes.put(HttpAttributes.ERROR_TYPE, errorType);
    }
    if (call.protocolVersion != null) {
      attributes.put(HttpAttributes.NETWORK_PROTOCOL_VERSION, call.protocolVersion);
    }
    return attributes;
  }

  private static double seconds(HttpCall call) {
    return (System.nanoTime() - call.startNanos) / NANOS_PER_SECOND;
  }

  private static Instruments instruments() {
    OpenTelemetry current = Tracing.openTelemetry();
    Instruments built = instruments;
    if (built == null || built.owner != current) {
      built = new Instruments(current);
      instruments = built;
    }
    return built;
  }

  private static final class Instruments {
    final OpenTelemetry owner;
    final DoubleHistogram server;
    final DoubleHistogram client;

    Instruments(OpenTelemetry owner) {
      this.owner = owner;
      Meter meter = owner.getMeterProvider().meterBuilder(Tracing.INSTRUMENTATION_SCOPE)
          .setInstrumentationVersion(Tracing.version()).build();
      server = meter.histogramBuilder("http.server.request.duration").setUnit("s")
          .setDescription("Duration of HTTP server requests.").setExplicitBucketBoundariesAdvice(BUCKETS).build();
      client = meter.histogramBuilder("http.client.request.duration").setUnit("s")
          .setDescription("Duration of HTTP client requests.").setExplicitBucketBoundariesAdvice(BUCKETS).build();
    }
  }
}
