package dev.tracelight.collector.exporter;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.tracelight.collector.config.ExporterConfig;
import dev.tracelight.collector.otlp.OtlpGrpc;
import dev.tracelight.collector.pipeline.OtlpRequest;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Exporter {@code otlp} / {@code otlp_grpc}: the queued bytes go out as they came in, over one channel per exporter. */
public final class OtlpGrpcExporter implements Exporter {
  /** Retryable per the OTLP spec; RESOURCE_EXHAUSTED only when the server sent RetryInfo. */
  private static final Set<Status.Code> RETRYABLE = EnumSet.of(Status.Code.CANCELLED, Status.Code.DEADLINE_EXCEEDED,
      Status.Code.ABORTED, Status.Code.OUT_OF_RANGE, Status.Code.UNAVAILABLE, Status.Code.DATA_LOSS);

  private final ManagedChannel channel;
  private final Channel calls;
  private final CallOptions options;
  private final Duration timeout;

  private OtlpGrpcExporter(ManagedChannel channel, Channel calls, CallOptions options, Duration timeout) {
    this.channel = channel;
    this.calls = calls;
    this.options = options;
    this.timeout = timeout;
  }

  public static OtlpGrpcExporter create(ExporterConfig.OtlpGrpc config) throws IOException {
    ChannelCredentials credentials;
    if (config.tls().insecure()) {
      credentials = InsecureChannelCredentials.create();
    } else {
      TlsChannelCredentials.Builder tls = TlsChannelCredentials.newBuilder();
      if (config.tls().caFile() != null) {
        tls.trustManager(new File(config.tls().caFile()));
      }
      if (config.tls().certFile() != null) {
        tls.keyManager(new File(config.tls().certFile()), new File(config.tls().keyFile()));
      }
      credentials = tls.build();
    }
    ManagedChannel channel = Grpc.newChannelBuilder(config.endpoint().toString(), credentials)
        .maxInboundMessageSize(16 << 20)
        .compressorRegistry(Gzip.GRPC_COMPRESSORS)
        .build();
    Metadata headers = new Metadata();
    config.headers().forEach((k, v) -> headers.put(Metadata.Key.of(k, Metadata.ASCII_STRING_MARSHALLER), v));
    Channel calls = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
    CallOptions options = CallOptions.DEFAULT.withCompression(config.gzip() ? "gzip" : "identity");
    return new OtlpGrpcExporter(channel, calls, options, config.timeout());
  }

  @Override
  public ExportResult export(OtlpRequest request) throws InterruptedException {
    byte[] response;
    try {
      response = ClientCalls.blockingUnaryCall(calls, OtlpGrpc.export(request.signal()),
          options.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS), request.bytes());
    } catch (StatusRuntimeException e) {
      if (Thread.interrupted()) {
        throw new InterruptedException("export cancelled by shutdown");
      }
      if (e.getStatus().getCode() == Status.Code.UNAVAILABLE) {
        // Our retry policy paces the attempts; without this the channel's own reconnect back-off (up to 2 minutes)
        // would keep failing them fast long after the backend is back.
        channel.resetConnectBackoff();
      }
      return classify(e);
    }
    return partialSuccess(request, response);
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }

  static ExportResult classify(StatusRuntimeException e) {
    Status.Code code = e.getStatus().getCode();
    String message = code + (e.getStatus().getDescription() == null ? "" : ": " + e.getStatus().getDescription());
    Duration retryDelay = OtlpGrpc.retryDelay(e);
    if (RETRYABLE.contains(code) || code == Status.Code.RESOURCE_EXHAUSTED && retryDelay != null) {
      return ExportResult.retryable(message, retryDelay);
    }
    return ExportResult.permanent(message);
  }

  private static ExportResult partialSuccess(OtlpRequest request, byte[] response) {
    try {
      return switch (request.signal()) {
        case TRACES -> {
          var p = ExportTraceServiceResponse.parseFrom(response).getPartialSuccess();
          yield p.getRejectedSpans() == 0 ? ExportResult.success()
              : ExportResult.partial(p.getRejectedSpans(), p.getErrorMessage());
        }
        case METRICS -> {
          var p = ExportMetricsServiceResponse.parseFrom(response).getPartialSuccess();
          yield p.getRejectedDataPoints() == 0 ? ExportResult.success()
              : ExportResult.partial(p.getRejectedDataPoints(), p.getErrorMessage());
        }
        case LOGS -> {
          var p = ExportLogsServiceResponse.parseFrom(response).getPartialSuccess();
          yield p.getRejectedLogRecords() == 0 ? ExportResult.success()
              : ExportResult.partial(p.getRejectedLogRecords(), p.getErrorMessage());
        }
      };
    } catch (InvalidProtocolBufferException e) {
      return ExportResult.success(); // delivered; an unreadable response body says nothing about rejection
    }
  }
}
