package dev.tracelight.agent.httpsender;

import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;

/**
 * The agent's OTLP/HTTP sender (http/protobuf, http/json), found by the SDK's exporters through {@code ServiceLoader}.
 * It replaces the SDK's java.net.http sender, whose HttpClient cost ~170 ms of premain per exporter set (its selector
 * thread, and the default TLS context with the cacerts parsed even for an http:// endpoint); ours connects at the first
 * export and sets up TLS only for https://.
 */
public final class Http1SenderProvider implements HttpSenderProvider {
  @Override
  public HttpSender createSender(HttpSenderConfig config) {
    return Http1Sender.create(config);
  }
}
