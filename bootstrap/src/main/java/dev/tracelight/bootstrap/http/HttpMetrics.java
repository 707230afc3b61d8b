package dev.tracelight.bootstrap.http;

import dev.tracelight.bootstrap.Tracing;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.Meter;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * {@code http.server.request.duration} and {@code http.client.request.duration}: histograms in seconds with the
 * spec's bucket boundaries and its low-cardinality attributes (never the path or the full URL).
 */
final class HttpMetrics {
  // The HTTP semantic conventions' advice for both histograms.
  static final List<Double> BUCKETS =
      Arrays.asList(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0);
  private static final double NANOS_PER_SECOND = 1_000_000_000.0;
  private static final AttributeSets SERVER_SETS = new AttributeSets(true);
  private static final AttributeSets CLIENT_SETS = new AttributeSets(false);

  // Built on first use after the agent installed its SDK, and again if it is replaced (tests).
  private static volatile Instruments instruments;

  private HttpMetrics() {}

  static void recordServer(HttpCall call, int statusCode, String errorType) {
    instruments().server.record(seconds(call), SERVER_SETS.get(call.method, statusCode, errorType,
        call.protocolVersion, call.scheme, call.route, 0));
  }

  static void recordClient(HttpCall call, int statusCode, String errorType) {
    instruments().client.record(seconds(call), CLIENT_SETS.get(call.method, statusCode, errorType,
        call.protocolVersion, call.serverAddress, null, call.serverPort));
  }

  private static Attributes serverAttributes(String method, int statusCode, String errorType, String protocolVersion,
      String scheme, String route) {
    AttributesBuilder attributes = common(method, statusCode, errorType, protocolVersion)
        .put(HttpAttributes.URL_SCHEME, scheme);
    if (route != null) {
      attributes.put(HttpAttributes.HTTP_ROUTE, route);
    }
    return attributes.build();
  }

  private static Attributes clientAttributes(String method, int statusCode, String errorType, String protocolVersion,
      String serverAddress, long serverPort) {
    AttributesBuilder attributes = common(method, statusCode, errorType, protocolVersion);
    if (serverAddress != null) {
      attributes.put(HttpAttributes.SERVER_ADDRESS, serverAddress);
    }
    if (serverPort > 0) {
      attributes.put(HttpAttributes.SERVER_PORT, serverPort);
    }
    return attributes.build();
  }

  private static AttributesBuilder common(String method, int statusCode, String errorType, String protocolVersion) {
    AttributesBuilder attributes = Attributes.builder().put(HttpAttributes.HTTP_REQUEST_METHOD, method);
    if (statusCode > 0) {
      attributes.put(HttpAttributes.HTTP_RESPONSE_STATUS_CODE, statusCode);
    }
    if (errorType != null) {
      attributes.put(HttpAttributes.ERROR_TYPE, errorType);
    }
    if (protocolVersion != null) {
      attributes.put(HttpAttributes.NETWORK_PROTOCOL_VERSION, protocolVersion);
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

  /**
   * The attribute sets of recent measurements, so that a request like an earlier one reuses its set instead of
   * building and sorting a new one (once per request was the agent's largest metric cost). A small table indexed by
   * hash; a collision replaces the entry, so memory stays bounded whatever the cardinality. Entries are immutable and
   * their fields final, so threads racing on a slot at worst build a set twice.
   */
  private static final class AttributeSets {
    private static final int SIZE = 64;
    private final Entry[] entries = new Entry[SIZE];
    private final boolean server;

    AttributeSets(boolean server) {
      this.server = server;
    }

    /** {@code text}: the scheme (server) or server address (client); {@code secondText} the route; the port. */
    Attributes get(String method, int statusCode, String errorType, String protocolVersion, String text,
        String secondText, long number) {
      int hash = Objects.hashCode(method);
      hash = 31 * hash + statusCode;
      hash = 31 * hash + Objects.hashCode(errorType);
      hash = 31 * hash + Objects.hashCode(protocolVersion);
      hash = 31 * hash + Objects.hashCode(text);
      hash = 31 * hash + Objects.hashCode(secondText);
      hash = 31 * hash + Long.hashCode(number);
      int slot = (hash ^ (hash >>> 16)) & (SIZE - 1);
      Entry entry = entries[slot];
      if (entry != null && entry.statusCode == statusCode && entry.number == number
          && Objects.equals(entry.method, method) && Objects.equals(entry.errorType, errorType)
          && Objects.equals(entry.protocolVersion, protocolVersion) && Objects.equals(entry.text, text)
          && Objects.equals(entry.secondText, secondText)) {
        return entry.attributes;
      }
      Attributes attributes = server
          ? serverAttributes(method, statusCode, errorType, protocolVersion, text, secondText)
          : clientAttributes(method, statusCode, errorType, protocolVersion, text, number);
      entries[slot] = new Entry(method, statusCode, errorType, protocolVersion, text, secondText, number, attributes);
      return attributes;
    }

    private static final class Entry {
      final String method;
      final int statusCode;
      final String errorType;
      final String protocolVersion;
      final String text;
      final String secondText;
      final long number;
      final Attributes attributes;

      Entry(String method, int statusCode, String errorType, String protocolVersion, String text, String secondText,
          long number, Attributes attributes) {
        this.method = method;
        this.statusCode = statusCode;
        this.errorType = errorType;
        this.protocolVersion = protocolVersion;
        this.text = text;
        this.secondText = secondText;
        this.number = number;
        this.attributes = attributes;
      }
    }
  }
}
