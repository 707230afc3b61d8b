package dev.tracelight.injector.mutation;

import java.net.URI;
import java.util.Optional;

/**
 * The OTLP protocol an endpoint implies. The Java agent defaults to http/protobuf, so an endpoint on the collector's
 * gRPC port 4317 silently exports nothing unless the protocol is set (operator issue #2529).
 */
final class OtlpProtocol {

  static final String GRPC = "grpc";
  static final String HTTP_PROTOBUF = "http/protobuf";

  private OtlpProtocol() {
  }

  static Optional<String> forEndpoint(String endpoint) {
    URI uri;
    try {
      uri = URI.create(endpoint.trim());
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (uri.getPort() == 4317) {
      return Optional.of(GRPC);
    }
    if (uri.getPort() == 4318) {
      return Optional.of(HTTP_PROTOBUF);
    }
    String path = uri.getPath();
    if (path != null && !path.isEmpty() && !path.equals("/")) {
      // A path (e.g. /otlp behind an ingress) only makes sense for OTLP over HTTP.
      return Optional.of(HTTP_PROTOBUF);
    }
    return Optional.empty();
  }
}
