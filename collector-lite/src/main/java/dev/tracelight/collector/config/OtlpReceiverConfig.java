package dev.tracelight.collector.config;

import dev.tracelight.collector.pipeline.Signal;
import java.util.List;
import java.util.Map;

/** Receiver {@code otlp}: either protocol may be absent (null). */
public record OtlpReceiverConfig(ComponentId id, Grpc grpc, Http http) {

  /** @param maxRecvMsgSizeMib {@code max_recv_msg_size_mib}; the OTLP spec's recommended 64 MiB by default */
  public record Grpc(HostPort endpoint, int maxRecvMsgSizeMib) {}

  /** @param paths {@code traces_url_path} etc., {@code /v1/traces} by default */
  public record Http(HostPort endpoint, long maxRequestBodySize, Cors cors, Map<Signal, String> paths) {}

  /** {@code cors}; no allowed origins means CORS is off (preflights get 405). */
  public record Cors(List<String> allowedOrigins, List<String> allowedHeaders, int maxAgeSeconds) {}
}
