package dev.tracelight.agent.grpcsender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.Attributes;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerTransportFilter;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.common.export.Compressor;
import io.opentelemetry.sdk.common.export.GrpcResponse;
import io.opentelemetry.sdk.common.export.GrpcSender;
import io.opentelemetry.sdk.common.export.GrpcSenderConfig;
import io.opentelemetry.sdk.common.export.GrpcStatusCode;
import io.opentelemetry.sdk.common.export.MessageWriter;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our gRPC sender against grpc-java's Netty server, on 127.0.0.1 with ports picked at run time. */
class Http2GrpcSenderTest {
  private static final String METHOD = "opentelemetry.proto.collector.trace.v1.TraceService/Export";

  private final List<ExportTraceServiceRequest> received = new CopyOnWriteArrayList<>();
  private final List<Metadata> receivedHeaders = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  /** What the server answers to each call, in turn; OK once the list is used up. */
  private final List<Status> answers = new CopyOnWriteArrayList<>();
  private Server server;
  private GrpcSender sender;

  @AfterEach
  void stop() throws InterruptedException {
    if (sender != null) {
      sender.shutdown();
    }
    if (server != null) {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void exportsEveryRequestIntactOverOneConnection() throws Exception {
    startServer(0, null);
    sender = sender("http://127.0.0.1:" + server.getPort(), null, null, Map.of("authorization", List.of("Bearer t")));

    for (int i = 0; i < 40; i++) {
      GrpcResponse response = send(request(i, 10));
      assertThat(response.getStatusCode()).isEqualTo(GrpcStatusCode.OK);
      assertThat(ExportTraceServiceResponse.parseFrom(response.getResponseMessage()).getPartialSuccess()
          .getRejectedSpans()).isEqualTo(i);
    }

    assertThat(received).hasSize(40);
    for (int i = 0; i < 40; i++) {
      assertThat(received.get(i)).isEqualTo(request(i, 10));
    }
    assertThat(connections.get()).isEqualTo(1);
    assertThat(receivedHeaders.get(0).get(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER)))
        .isEqualTo("Bearer t");
  }

  @Test
  void sendsRequestsLargerThanTheFlowControlWindowsGzippedOrNot() throws Exception {
    startServer(0, null);
    // 3 MB of spans: far above the initial 64 KiB windows, so the sender must wait for WINDOW_UPDATEs.
    ExportTraceServiceRequest large = request(7, 12_000);
    assertThat(large.getSerializedSize()).isGreaterThan(3_000_000);

    sender = sender("http://127.0.0.1:" + server.getPort(), null, null, Map.of());
    assertThat(send(large).getStatusCode()).isEqualTo(GrpcStatusCode.OK);
    sender.shutdown();
    sender = sender("http://127.0.0.1:" + server.getPort(), gzip(), null, Map.of());
    assertThat(send(large).getStatusCode()).isEqualTo(GrpcStatusCode.OK);

    assertThat(received).containsExactly(large, large);
  }

  @Test
  void reportsTheServersStatusAndDecodedMessageWithoutRetryingAPermanentError() throws Exception {
    answers.add(Status.INVALID_ARGUMENT.withDescription("span 3 of 5: 100% wrong, naïve"));
    startServer(0, null);
    sender = sender("http://127.0.0.1:" + server.getPort(), null, retries(5), Map.of());

    GrpcResponse response = send(request(1, 1));

    assertThat(response.getStatusCode()).isEqualTo(GrpcStatusCode.INVALID_ARGUMENT);
    assertThat(response.getStatusDescription()).isEqualTo("span 3 of 5: 100% wrong, naïve");
    assertThat(received).hasSize(1);
  }

  @Test
  void retriesUnavailableAndResourceExhaustedUntilTheServerAccepts() throws Exception {
    answers.add(Status.UNAVAILABLE.withDescription("starting"));
    answers.add(Status.RESOURCE_EXHAUSTED.withDescription("queue full"));
    startServer(0, null);
    sender = sender("http://127.0.0.1:" + server.getPort(), null, retries(5), Map.of());

    GrpcResponse response = send(request(2, 3));

    assertThat(response.getStatusCode()).isEqualTo(GrpcStatusCode.OK);
    assertThat(received).containsExactly(request(2, 3), request(2, 3), request(2, 3));
  }

  @Test
  void givesUpWithTheLastStatusWhenAttemptsRunOut() throws Exception {
    answers.add(Status.UNAVAILABLE.withDescription("one"));
    answers.add(Status.UNAVAILABLE.withDescription("two"));
    answers.add(Status.UNAVAILABLE.withDescription("three"));
    startServer(0, null);
    sender = sender("http://127.0.0.1:" + server.getPort(), null, retries(2), Map.of());

    GrpcResponse response = send(request(2, 3));

    assertThat(response.getStatusCode()).isEqualTo(GrpcStatusCode.UNAVAILABLE);
    assertThat(response.getStatusDescription()).isEqualTo("two");
    assertThat(received).hasSize(2);
  }

  @Test
  void reconnectsWhenTheServerRestartedBetweenExports() throws Exception {
    startServer(0, null);
    int port = server.getPort();
    sender = sender("http://127.0.0.1:" + port, null, null, Map.of());
    assertThat(send(request(1, 1)).getStatusCode()).isEqualTo(GrpcStatusCode.OK);

    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    startServer(port, null);
    // No retry policy: the kept connection is dead, and the sender must notice and use a new one by itself.
    assertThat(send(request(2, 1)).getStatusCode()).isEqualTo(GrpcStatusCode.OK);

    assertThat(received).containsExactly(request(1, 1), request(2, 1));
    assertThat(connections.get()).isEqualTo(2);
  }

  @Test
  void reportsARefusedConnectionAsAnError() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    sender = sender("http://127.0.0.1:" + closedPort, null, null, Map.of());

    assertThatThrownBy(() -> send(request(1, 1))).hasCauseInstanceOf(ConnectException.class);
  }

  @Test
  void shutdownAbortsACallToAServerThatNeverAnswers() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      // Export timeout and retries far beyond the test's wait: only shutdown can end this call.
      sender = sender("http://127.0.0.1:" + silent.getLocalPort(), null, retries(5), Map.of(), null,
          Duration.ofHours(1));
      CompletableFuture<GrpcResponse> result = sendAsync(request(1, 1));
      try (Socket accepted = silent.accept()) {
        assertThat(sender.shutdown().isSuccess()).isTrue();
        assertThatThrownBy(() -> result.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(IOException.class);
      }
    }
  }

  @Test
  void exportsOverTlsNegotiatingHttp2WithAlpn(@TempDir Path dir) throws Exception {
    Path keystore = dir.resolve("server.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
        "-ext", "san=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
        "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, "changeit".toCharArray());
    startServer(0, keys);
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext client = SSLContext.getInstance("TLS");
    client.init(null, trust.getTrustManagers(), null);

    sender = sender("https://127.0.0.1:" + server.getPort(), null, null, Map.of(), client);
    assertThat(send(request(5, 5)).getStatusCode()).isEqualTo(GrpcStatusCode.OK);
    assertThat(received).containsExactly(request(5, 5));

    // A client that does not trust the certificate fails the handshake, and says so.
    sender.shutdown();
    sender = sender("https://127.0.0.1:" + server.getPort(), null, retries(3), Map.of());
    assertThatThrownBy(() -> send(request(6, 1))).hasCauseInstanceOf(SSLHandshakeException.class);
    assertThat(received).hasSize(1);
  }

  private GrpcResponse send(ExportTraceServiceRequest request) throws Exception {
    return sendAsync(request).get(30, TimeUnit.SECONDS);
  }

  private CompletableFuture<GrpcResponse> sendAsync(ExportTraceServiceRequest request) {
    CompletableFuture<GrpcResponse> result = new CompletableFuture<>();
    byte[] bytes = request.toByteArray();
    sender.send(new MessageWriter() {
      @Override
      public void writeMessage(OutputStream out) throws IOException {
        out.write(bytes);
      }

      @Override
      public int getContentLength() {
        return bytes.length;
      }
    }, result::complete, result::completeExceptionally);
    return result;
  }

  private void startServer(int port, KeyManagerFactory tls) throws IOException {
    AtomicInteger calls = new AtomicInteger();
    TraceServiceGrpc.TraceServiceImplBase service = new TraceServiceGrpc.TraceServiceImplBase() {
      @Override
      public void export(ExportTraceServiceRequest request, StreamObserver<ExportTraceServiceResponse> response) {
        received.add(request);
        int call = calls.getAndIncrement();
        if (call < answers.size()) {
          response.onError(answers.get(call).asRuntimeException());
          return;
        }
        int index = request.getResourceSpans(0).getScopeSpans(0).getSpans(0).getTraceId().byteAt(0);
        response.onNext(ExportTraceServiceResponse.newBuilder()
            .setPartialSuccess(ExportTracePartialSuccess.newBuilder().setRejectedSpans(index)).build());
        response.onCompleted();
      }
    };
    ServerInterceptor headers = new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata metadata,
          ServerCallHandler<Q, R> next) {
        receivedHeaders.add(metadata);
        return next.startCall(call, metadata);
      }
    };
    NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
        .addService(ServerInterceptors.intercept(service, headers))
        .maxInboundMessageSize(8 << 20)
        .addTransportFilter(new ServerTransportFilter() {
          @Override
          public Attributes transportReady(Attributes attributes) {
            connections.incrementAndGet();
            return attributes;
          }
        });
    if (tls != null) {
      builder.sslContext(GrpcSslContexts.configure(SslContextBuilder.forServer(tls)).build());
    }
    server = builder.build().start();
  }

  private static ExportTraceServiceRequest request(int index, int spans) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    for (int i = 0; i < spans; i++) {
      scope.addSpans(Span.newBuilder()
          .setTraceId(ByteString.copyFrom(new byte[] {(byte) index, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
              (byte) i}))
          .setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, (byte) i}))
          .setName("GET /users/{id} " + i + " " + "x".repeat(200)));
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(scope))
        .build();
  }

  private static RetryPolicy retries(int attempts) {
    return RetryPolicy.builder().setMaxAttempts(attempts).setInitialBackoff(Duration.ofMillis(10))
        .setMaxBackoff(Duration.ofMillis(50)).build();
  }

  private static Compressor gzip() {
    return new Compressor() {
      @Override
      public String getEncoding() {
        return "gzip";
      }

      @Override
      public OutputStream compress(OutputStream out) throws IOException {
        return new GZIPOutputStream(out);
      }
    };
  }

  private static GrpcSender sender(String endpoint, Compressor compressor, RetryPolicy retryPolicy,
      Map<String, List<String>> headers) {
    return sender(endpoint, compressor, retryPolicy, headers, null);
  }

  private static GrpcSender sender(String endpoint, Compressor compressor, RetryPolicy retryPolicy,
      Map<String, List<String>> headers, SSLContext sslContext) {
    return sender(endpoint, compressor, retryPolicy, headers, sslContext, Duration.ofSeconds(20));
  }

  private static GrpcSender sender(String endpoint, Compressor compressor, RetryPolicy retryPolicy,
      Map<String, List<String>> headers, SSLContext sslContext, Duration timeout) {
    return new Http2GrpcSenderProvider().createSender(new GrpcSenderConfig() {
      @Override
      public URI getEndpoint() {
        return URI.create(endpoint);
      }

      @Override
      public String getFullMethodName() {
        return METHOD;
      }

      @Override
      public Compressor getCompressor() {
        return compressor;
      }

      @Override
      public Duration getTimeout() {
        return timeout;
      }

      @Override
      public Duration getConnectTimeout() {
        return Duration.ofSeconds(5);
      }

      @Override
      public Supplier<Map<String, List<String>>> getHeadersSupplier() {
        return () -> headers;
      }

      @Override
      public RetryPolicy getRetryPolicy() {
        return retryPolicy;
      }

      @Override
      public SSLContext getSslContext() {
        return sslContext;
      }

      @Override
      public X509TrustManager getTrustManager() {
        return null;
      }

      @Override
      public ExecutorService getExecutorService() {
        return null;
      }
    });
  }
}
