package dev.tracelight.agent.grpcsender;

import io.opentelemetry.sdk.common.export.GrpcSender;
import io.opentelemetry.sdk.common.export.GrpcSenderConfig;
import io.opentelemetry.sdk.common.export.GrpcSenderProvider;

/**
 * The agent's OTLP/gRPC sender, found by the SDK's exporters through {@code ServiceLoader}. It replaces the SDK's
 * OkHttp sender, which brought OkHttp, okio and kotlin-stdlib (2.4 MB, a quarter of the agent jar) for this one use.
 */
public final class Http2GrpcSenderProvider implements GrpcSenderProvider {
  @Override
  public GrpcSender createSender(GrpcSenderConfig config) {
    return Http2GrpcSender.create(config);
  }
}
