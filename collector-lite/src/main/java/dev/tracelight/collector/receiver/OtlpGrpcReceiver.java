package dev.tracelight.collector.receiver;

import dev.tracelight.collector.config.OtlpReceiverConfig;
import dev.tracelight.collector.otlp.OtlpGrpc;
import dev.tracelight.collector.pipeline.AdmittedBytes;
import dev.tracelight.collector.pipeline.Intake;
import dev.tracelight.collector.pipeline.InvalidOtlpException;
import dev.tracelight.collector.pipeline.OtlpRequest;
import dev.tracelight.collector.pipeline.Refusal;
import dev.tracelight.collector.pipeline.Signal;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * OTLP over gRPC: the three Export services, registered for the signals some pipeline takes from this receiver (others
 * answer UNIMPLEMENTED, as in the collector). Requests arrive as bytes and go to the queues as bytes.
 */
public final class OtlpGrpcReceiver implements AutoCloseable {
  /** An empty Export*ServiceResponse: all accepted, no partial_success. */
  private static final byte[] ACCEPTED = new byte[0];

  private final Server server;

  private OtlpGrpcReceiver(Server server) {
    this.server = server;
  }

  public static OtlpGrpcReceiver start(OtlpReceiverConfig.Grpc config, Intake intake) throws IOException {
    NettyServerBuilder builder = NettyServerBuilder.forAddress(config.endpoint().toSocketAddress())
        .maxInboundMessageSize(config.maxRecvMsgSizeMib() << 20)
        // The handler never blocks (a wire walk and a non-blocking reservation), so it runs on the transport threads
        // instead of being handed to an unbounded thread pool.
        .directExecutor();
    for (Signal signal : Signal.values()) {
      if (intake.accepts(signal)) {
        builder.addService(ServerServiceDefinition.builder(signal.grpcService())
            .addMethod(OtlpGrpc.export(signal), ServerCalls.asyncUnaryCall(
                (request, response) -> export(signal, request, response, intake)))
            .build());
      }
    }
    return new OtlpGrpcReceiver(builder.build().start());
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) server.getListenSockets().get(0);
  }

  /** Stops taking calls and waits briefly for those in progress. */
  @Override
  public void close() {
    server.shutdown();
    try {
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private static void export(Signal signal, byte[] bytes, StreamObserver<byte[]> response, Intake intake) {
    // grpc-java has read the whole message by now (bounded by max_recv_msg_size_mib): claim it before decoding
    AdmittedBytes.Claim claim = intake.claim();
    if (!claim.grow(bytes.length)) {
      Refusal r = intake.overBudget();
      response.onError(OtlpGrpc.statusWithRetry(Status.Code.RESOURCE_EXHAUSTED, r.message(), r.retryAfter()));
      return;
    }
    OtlpRequest request;
    try {
      request = OtlpRequest.parse(signal, bytes);
    } catch (InvalidOtlpException e) {
      claim.release();
      response.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
      return;
    }
    Refusal refusal = intake.offer(request, "grpc", claim);
    if (refusal == null) {
      response.onNext(ACCEPTED);
      response.onCompleted();
      return;
    }
    Status.Code code = refusal.reason() == Refusal.Reason.QUEUE_FULL || refusal.reason() == Refusal.Reason.ADMITTED_BYTES
        ? Status.Code.RESOURCE_EXHAUSTED : Status.Code.UNAVAILABLE;
    response.onError(OtlpGrpc.statusWithRetry(code, refusal.message(), refusal.retryAfter()));
  }
}
