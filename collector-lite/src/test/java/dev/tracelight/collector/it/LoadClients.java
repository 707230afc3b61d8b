package dev.tracelight.collector.it;

import com.google.rpc.RetryInfo;
import dev.tracelight.collector.OtlpSamples;
import dev.tracelight.collector.otlp.OtlpGrpc;
import dev.tracelight.collector.pipeline.Signal;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Clients that send trace requests at a fixed total rate over OTLP/HTTP and OTLP/gRPC and keep score: what was
 * accepted (by marker span), what was refused with a retry hint, and anything else. Each request is one marker span
 * ({@code m-<client>-<n>}) concatenated with a fixed bulk of spans (concatenated OTLP requests are one request).
 */
final class LoadClients implements AutoCloseable {
  final Set<String> acceptedMarkers = ConcurrentHashMap.newKeySet();
  final AtomicLong acceptedSpans = new AtomicLong();
  final AtomicLong refusedWithHint = new AtomicLong();
  final AtomicLong refusedWithoutHint = new AtomicLong();
  final AtomicLong errors = new AtomicLong();
  final AtomicLong sent = new AtomicLong();
  private final byte[] bulk;
  private final int spansPerRequest;
  private final List<Thread> threads = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private volatile boolean running = true;

  private LoadClients(int spansPerRequest) {
    this.spansPerRequest = spansPerRequest;
    this.bulk = OtlpSamples.traces("bulk", 1, spansPerRequest - 1).toByteArray();
  }

  /**
   * @param requestsPerSecond the total rate over all clients
   */
  static LoadClients start(int httpPort, int httpClients, int grpcPort, int grpcClients, int spansPerRequest,
      double requestsPerSecond) {
    LoadClients l = new LoadClients(spansPerRequest);
    long intervalNanos = (long) ((httpClients + grpcClients) * 1e9 / requestsPerSecond);
    for (int i = 0; i < httpClients + grpcClients; i++) {
      String name = "c" + i;
      boolean grpc = i >= httpClients;
      ManagedChannel channel = grpc ? NettyChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext()
          .maxInboundMessageSize(64 << 20).build() : null;
      if (channel != null) {
        l.channels.add(channel);
      }
      Thread t = new Thread(() -> l.run(name, intervalNanos, grpc ? null : URI.create("http://127.0.0.1:" + httpPort
          + "/v1/traces"), channel), "load-" + name);
      t.setDaemon(true);
      l.threads.add(t);
      t.start();
    }
    return l;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    for (Thread t : threads) {
      t.join(15_000);
    }
    for (ManagedChannel c : channels) {
      c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private void run(String client, long intervalNanos, URI uri, ManagedChannel channel) {
    long next = System.nanoTime();
    for (int n = 0; running; n++) {
      long wait = next - System.nanoTime();
      if (wait > 0) {
        try {
          TimeUnit.NANOSECONDS.sleep(wait);
        } catch (InterruptedException e) {
          return;
        }
      }
      next += intervalNanos;
      String marker = "m-" + client + "-" + n;
      byte[] markerBytes = OtlpSamples.traces(marker, 1, 1).toByteArray();
      byte[] body = new byte[markerBytes.length + bulk.length];
      System.arraycopy(markerBytes, 0, body, 0, markerBytes.length);
      System.arraycopy(bulk, 0, body, markerBytes.length, bulk.length);
      sent.incrementAndGet();
      boolean ok = uri != null ? sendHttp(uri, body) : sendGrpc(channel, body);
      if (ok) {
        acceptedMarkers.add(marker + "-0-0"); // OtlpSamples names spans prefix-resource-index
        acceptedSpans.addAndGet(spansPerRequest);
      }
    }
  }

  private boolean sendHttp(URI uri, byte[] body) {
    try {
      HttpResponse<Void> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
          .header("Content-Type", "application/x-protobuf").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
          HttpResponse.BodyHandlers.discarding());
      if (r.statusCode() == 200) {
        return true;
      }
      boolean throttled = r.statusCode() == 503 || r.statusCode() == 429;
      (throttled && r.headers().firstValue("Retry-After").isPresent() ? refusedWithHint
          : throttled ? refusedWithoutHint : errors).incrementAndGet();
    } catch (IOException e) {
      errors.incrementAndGet();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }

  private boolean sendGrpc(ManagedChannel channel, byte[] body) {
    try {
      ClientCalls.blockingUnaryCall(channel, OtlpGrpc.export(Signal.TRACES),
          CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), body);
      return true;
    } catch (StatusRuntimeException e) {
      Status.Code code = e.getStatus().getCode();
      boolean throttled = code == Status.Code.RESOURCE_EXHAUSTED || code == Status.Code.UNAVAILABLE;
      (throttled && hasRetryInfo(e) ? refusedWithHint : throttled ? refusedWithoutHint : errors).incrementAndGet();
      return false;
    }
  }

  private static boolean hasRetryInfo(StatusRuntimeException e) {
    com.google.rpc.Status s = StatusProto.fromThrowable(e);
    return s != null && s.getDetailsList().stream().anyMatch(d -> d.is(RetryInfo.class));
  }
}
