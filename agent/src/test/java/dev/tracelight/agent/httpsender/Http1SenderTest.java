package dev.tracelight.agent.httpsender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import io.opentelemetry.sdk.common.export.MessageWriter;
import io.opentelemetry.sdk.common.export.ProxyOptions;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our HTTP/1.1 sender under the SDK's own OtlpHttpSpanExporter, and on its own, against the JDK's HttpServer and
 * HttpsServer (and a few raw sockets playing a silent server or a proxy tunnel) on 127.0.0.1, ports picked at run time.
 */
class Http1SenderTest {
  private final List<Received> received = new CopyOnWriteArrayList<>();
  /** What the server answers to each request, in turn; 200 with an empty body once used up. */
  private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private HttpServer server;
  private ExecutorService serverThreads;

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable closeable : toClose) {
      closeable.close();
    }
    if (server != null) {
      server.stop(0);
    }
    if (serverThreads != null) {
      serverThreads.shutdownNow();
    }
  }

  @Test
  void isTheOnlyHttpSenderProviderTheSdkFinds() {
    assertThat(ServiceLoader.load(HttpSenderProvider.class).stream().map(ServiceLoader.Provider::type))
        .containsExactly(Http1SenderProvider.class);
  }

  @Test
  void exportsSpansOfTheSdksExporterOverOneKeptConnection() throws Exception {
    startServer(0, null);
    OtlpHttpSpanExporter exporter = track(exporter("http://127.0.0.1:" + port() + "/v1/traces")
        .addHeader("authorization", "Bearer t").build());

    for (int i = 0; i < 5; i++) {
      assertThat(exporter.export(spans("GET /users/{id} " + i, "SELECT users " + i)).join(30, TimeUnit.SECONDS)
          .isSuccess()).isTrue();
    }

    assertThat(received).hasSize(5);
    for (int i = 0; i < 5; i++) {
      assertThat(spanNames(received.get(i))).containsExactly("GET /users/{id} " + i, "SELECT users " + i);
    }
    Received first = received.get(0);
    assertThat(first.method).isEqualTo("POST");
    assertThat(first.uri).isEqualTo("/v1/traces");
    assertThat(first.header("Host")).isEqualTo("127.0.0.1:" + port());
    assertThat(first.header("Content-Type")).isEqualTo("application/x-protobuf");
    assertThat(first.header("Content-Length")).isEqualTo(String.valueOf(first.body.length));
    assertThat(first.header("Content-Encoding")).isNull();
    assertThat(first.header("Authorization")).isEqualTo("Bearer t");
    assertThat(first.header("User-Agent")).startsWith("OTel-OTLP-Exporter-Java/");
    assertThat(received.stream().map(request -> request.clientPort).distinct()).hasSize(1);
  }

  @Test
  void sendsGzipCompressedRequestsWhenTheExporterCompresses() throws Exception {
    startServer(0, null);
    OtlpHttpSpanExporter exporter = track(exporter("http://127.0.0.1:" + port() + "/v1/traces")
        .setCompression("gzip").build());

    assertThat(exporter.export(spans("x".repeat(5000), "y")).join(30, TimeUnit.SECONDS).isSuccess()).isTrue();

    assertThat(received).hasSize(1);
    assertThat(received.get(0).header("Content-Encoding")).isEqualTo("gzip");
    assertThat(received.get(0).wireLength).isLessThan(received.get(0).body.length);
    assertThat(spanNames(received.get(0))).containsExactly("x".repeat(5000), "y");
  }

  @Test
  void exportsOnANewConnectionWhenTheServerClosedTheKeptOne() throws Exception {
    startServer(0, null);
    int port = port();
    // No retry policy: the sender must notice the dead connection and use a new one by itself.
    OtlpHttpSpanExporter exporter = track(exporter("http://127.0.0.1:" + port + "/v1/traces")
        .setRetryPolicy(null).build());
    assertThat(exporter.export(spans("before")).join(30, TimeUnit.SECONDS).isSuccess()).isTrue();

    server.stop(0);                                  // closes the idle kept connection
    startServer(port, null);
    assertThat(exporter.export(spans("after")).join(30, TimeUnit.SECONDS).isSuccess()).isTrue();

    assertThat(received).hasSize(2);
    assertThat(spanNames(received.get(1))).containsExactly("after");
    assertThat(received.get(1).clientPort).isNotEqualTo(received.get(0).clientPort);
  }

  @Test
  void retriesUnavailableAndTooManyRequestsUntilTheServerAccepts() throws Exception {
    answers.add(Answer.of(503, "starting"));
    answers.add(Answer.of(429, "slow down").with("Retry-After", "0"));
    startServer(0, null);
    OtlpHttpSpanExporter exporter = track(exporter("http://127.0.0.1:" + port() + "/v1/traces")
        .setRetryPolicy(retries(5)).build());

    assertThat(exporter.export(spans("kept")).join(30, TimeUnit.SECONDS).isSuccess()).isTrue();

    assertThat(received).hasSize(3);
    assertThat(received).allSatisfy(request -> assertThat(spanNames(request)).containsExactly("kept"));
  }

  @Test
  void reportsABadRequestWithoutRetryingIt() throws Exception {
    answers.add(Answer.of(400, "span 3: bad trace id"));
    startServer(0, null);
    OtlpHttpSpanExporter exporter = track(exporter("http://127.0.0.1:" + port() + "/v1/traces")
        .setRetryPolicy(retries(5)).build());

    CompletableResultCode result = exporter.export(spans("rejected")).join(30, TimeUnit.SECONDS);

    assertThat(result.isDone()).isTrue();
    assertThat(result.isSuccess()).isFalse();
    assertThat(received).hasSize(1);

    // The sender itself hands the SDK the status and the body the server sent.
    HttpSender sender = track(sender("http://127.0.0.1:" + port() + "/v1/traces", Duration.ofSeconds(20), retries(5),
        4 << 20, null, null));
    answers.add(Answer.of(400, "span 3: bad trace id"));
    HttpResponse response = send(sender, "raw".getBytes(StandardCharsets.UTF_8));
    assertThat(response.getStatusCode()).isEqualTo(400);
    assertThat(new String(response.getResponseBody(), StandardCharsets.UTF_8)).isEqualTo("span 3: bad trace id");
    assertThat(received).hasSize(2);
  }

  @Test
  void givesUpWithATimeoutWhenTheServerNeverAnswers() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      HttpSender sender = track(sender("http://127.0.0.1:" + silent.getLocalPort() + "/v1/traces",
          Duration.ofMillis(500), retries(3), 4 << 20, null, null));
      CompletableFuture<HttpResponse> result = sendAsync(sender, new byte[] {1, 2, 3});
      try (Socket accepted = silent.accept()) {
        assertThatThrownBy(() -> result.get(30, TimeUnit.SECONDS))
            .hasCauseInstanceOf(java.net.SocketTimeoutException.class);
        // The request itself arrived whole: the sender waited for an answer that never came.
        byte[] head = new byte[4];
        assertThat(accepted.getInputStream().readNBytes(head, 0, 4)).isEqualTo(4);
        assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("POST");
      }
    }
  }

  @Test
  void givesUpAtTheTimeoutWhenTheServerStopsReadingTheRequest() throws Exception {
    try (ServerSocket stalled = new ServerSocket()) {
      stalled.setReceiveBufferSize(4096);
      stalled.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      HttpSender sender = track(sender("http://127.0.0.1:" + stalled.getLocalPort() + "/v1/traces",
          Duration.ofMillis(500), null, 4 << 20, null, null));
      // Far more than the socket buffers of both ends hold: the write blocks until something closes the socket.
      CompletableFuture<HttpResponse> result = sendAsync(sender, new byte[64 << 20]);
      try (Socket accepted = stalled.accept()) {
        assertThatThrownBy(() -> result.get(30, TimeUnit.SECONDS))
            .hasCauseInstanceOf(java.net.SocketTimeoutException.class)
            .hasMessageContaining("the collector did not read the request within the export timeout");
      }
    }
  }

  @Test
  void exportsOverHttpsTrustingTheGivenCertificateAndRefusesWithoutIt(@TempDir Path dir) throws Exception {
    SelfSigned certificate = SelfSigned.create(dir);
    startServer(0, certificate.serverContext());
    String endpoint = "https://127.0.0.1:" + port() + "/v1/traces";

    OtlpHttpSpanExporter trusting = track(exporter(endpoint).setTrustedCertificates(certificate.pem()).build());
    assertThat(trusting.export(spans("over tls")).join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(received).hasSize(1);
    assertThat(spanNames(received.get(0))).containsExactly("over tls");

    // The JDK's default trust store does not know the certificate: the handshake fails and is not retried.
    HttpSender untrusting = track(sender(endpoint, Duration.ofSeconds(20), retries(5), 4 << 20, null, null));
    assertThatThrownBy(() -> send(untrusting, new byte[] {1})).hasCauseInstanceOf(SSLHandshakeException.class);
    assertThat(received).hasSize(1);
  }

  @Test
  void readsAChunkedResponseBody() throws Exception {
    byte[] large = new byte[100_000];
    for (int i = 0; i < large.length; i++) {
      large[i] = (byte) (i * 31);
    }
    answers.add(Answer.of(200, large).chunked());
    answers.add(Answer.of(200, "second"));
    startServer(0, null);
    HttpSender sender = track(sender("http://127.0.0.1:" + port() + "/v1/traces", Duration.ofSeconds(20), null,
        4 << 20, null, null));

    HttpResponse response = send(sender, new byte[] {7});
    assertThat(response.getStatusCode()).isEqualTo(200);
    assertThat(response.getResponseBody()).isEqualTo(large);
    // The chunked body was read to its end: the same connection carries the next exchange.
    assertThat(new String(send(sender, new byte[] {8}).getResponseBody(), StandardCharsets.UTF_8))
        .isEqualTo("second");
    assertThat(received.stream().map(request -> request.clientPort).distinct()).hasSize(1);
  }

  @Test
  void refusesAResponseBodyAboveTheLimitThenExportsOnANewConnection() throws Exception {
    answers.add(Answer.of(200, new byte[2000]));
    answers.add(Answer.of(200, new byte[2000]).chunked());
    startServer(0, null);
    HttpSender sender = track(sender("http://127.0.0.1:" + port() + "/v1/traces", Duration.ofSeconds(20),
        retries(5), 1000, null, null));

    assertThatThrownBy(() -> send(sender, new byte[] {1}))
        .hasCauseInstanceOf(Http1Connection.ResponseTooLargeException.class)
        .hasMessageContaining("larger than 1000 bytes");
    assertThatThrownBy(() -> send(sender, new byte[] {2}))
        .hasCauseInstanceOf(Http1Connection.ResponseTooLargeException.class);
    assertThat(send(sender, new byte[] {3}).getStatusCode()).isEqualTo(200);

    // Not retried, and each refused answer cost its connection (the rest of its body was never read).
    assertThat(received).hasSize(3);
    assertThat(received.stream().map(request -> request.clientPort).distinct()).hasSize(3);
  }

  @Test
  void sendsTheWholeUriToAPlainHttpProxy() throws Exception {
    startServer(0, null);                            // plays the proxy: it answers what it would have forwarded
    ProxyOptions proxy = ProxyOptions.create(new InetSocketAddress("127.0.0.1", port()));
    // The collector's name does not resolve here: only the proxy may look it up.
    OtlpHttpSpanExporter exporter = track(exporter("http://collector.invalid:4318/v1/traces").setProxy(proxy)
        .build());

    assertThat(exporter.export(spans("proxied")).join(30, TimeUnit.SECONDS).isSuccess()).isTrue();

    assertThat(received).hasSize(1);
    assertThat(received.get(0).uri).isEqualTo("http://collector.invalid:4318/v1/traces");
    assertThat(received.get(0).header("Host")).isEqualTo("collector.invalid:4318");
    assertThat(spanNames(received.get(0))).containsExactly("proxied");
  }

  @Test
  void tunnelsHttpsThroughAProxyWithConnect(@TempDir Path dir) throws Exception {
    SelfSigned certificate = SelfSigned.create(dir);
    startServer(0, certificate.serverContext());
    ConnectProxy proxy = track(ConnectProxy.start());
    OtlpHttpSpanExporter exporter = track(exporter("https://127.0.0.1:" + port() + "/v1/traces")
        .setTrustedCertificates(certificate.pem())
        .setProxy(ProxyOptions.create(new InetSocketAddress("127.0.0.1", proxy.port()))).build());

    assertThat(exporter.export(spans("tunnelled")).join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(exporter.export(spans("again")).join(30, TimeUnit.SECONDS).isSuccess()).isTrue();

    assertThat(proxy.requests()).containsExactly("CONNECT 127.0.0.1:" + port() + " HTTP/1.1");
    assertThat(received).hasSize(2);
    assertThat(spanNames(received.get(1))).containsExactly("again");
  }

  // ---------------------------------------------------------------------------------------------------------------

  private static OtlpHttpSpanExporterBuilder exporter(String endpoint) {
    return OtlpHttpSpanExporter.builder().setEndpoint(endpoint).setTimeout(Duration.ofSeconds(20));
  }

  private static List<SpanData> spans(String... names) {
    InMemorySpanExporter memory = InMemorySpanExporter.create();
    try (SdkTracerProvider provider = SdkTracerProvider.builder()
        .addSpanProcessor(SimpleSpanProcessor.create(memory)).build()) {
      Tracer tracer = provider.get("test");
      for (String name : names) {
        tracer.spanBuilder(name).startSpan().end();
      }
      return memory.getFinishedSpanItems();
    }
  }

  private static List<String> spanNames(Received request) {
    try {
      return ExportTraceServiceRequest.parseFrom(request.body).getResourceSpansList().stream()
          .flatMap(resource -> resource.getScopeSpansList().stream())
          .flatMap(scope -> scope.getSpansList().stream())
          .map(io.opentelemetry.proto.trace.v1.Span::getName)
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new AssertionError("not an ExportTraceServiceRequest", e);
    }
  }

  private static RetryPolicy retries(int attempts) {
    return RetryPolicy.builder().setMaxAttempts(attempts).setInitialBackoff(Duration.ofMillis(10))
        .setMaxBackoff(Duration.ofMillis(50)).build();
  }

  private <T extends AutoCloseable> T track(T closeable) {
    toClose.add(closeable);
    return closeable;
  }

  private HttpSender track(HttpSender sender) {
    toClose.add(sender::shutdown);
    return sender;
  }

  private int port() {
    return server.getAddress().getPort();
  }

  private void startServer(int port, SSLContext tls) throws IOException {
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
    if (tls == null) {
      server = HttpServer.create(address, 0);
    } else {
      HttpsServer https = HttpsServer.create(address, 0);
      https.setHttpsConfigurator(new HttpsConfigurator(tls));
      server = https;
    }
    if (serverThreads == null) {
      serverThreads = Executors.newCachedThreadPool();
    }
    server.setExecutor(serverThreads);
    server.createContext("/", this::answer);
    server.start();
  }

  private void answer(HttpExchange exchange) throws IOException {
    byte[] wire;
    try (InputStream body = exchange.getRequestBody()) {
      wire = body.readAllBytes();
    }
    String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
    byte[] decoded = wire;
    if ("gzip".equals(encoding)) {
      try (InputStream gunzip = new GZIPInputStream(new ByteArrayInputStream(wire))) {
        decoded = gunzip.readAllBytes();
      }
    }
    received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
        exchange.getRequestHeaders(), decoded, wire.length, exchange.getRemoteAddress().getPort()));
    Answer answer = answers.poll();
    if (answer == null) {
      answer = Answer.of(200, new byte[0]);
    }
    answer.headers.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
    if (answer.body.length == 0) {
      exchange.sendResponseHeaders(answer.status, -1);
    } else {
      // Length 0 makes the JDK's server send the body in chunked coding.
      exchange.sendResponseHeaders(answer.status, answer.chunked ? 0 : answer.body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer.body);
      }
    }
    exchange.close();
  }

  private static HttpResponse send(HttpSender sender, byte[] body) throws Exception {
    return sendAsync(sender, body).get(30, TimeUnit.SECONDS);
  }

  private static CompletableFuture<HttpResponse> sendAsync(HttpSender sender, byte[] body) {
    CompletableFuture<HttpResponse> result = new CompletableFuture<>();
    sender.send(new MessageWriter() {
      @Override
      public void writeMessage(OutputStream out) throws IOException {
        out.write(body);
      }

      @Override
      public int getContentLength() {
        return body.length;
      }
    }, result::complete, result::completeExceptionally);
    return result;
  }

  private static HttpSender sender(String endpoint, Duration timeout, RetryPolicy retryPolicy, long maxResponseBytes,
      ProxyOptions proxy, SSLContext sslContext) {
    return new Http1SenderProvider().createSender(new HttpSenderConfig() {
      @Override
      public URI getEndpoint() {
        return URI.create(endpoint);
      }

      @Override
      public String getContentType() {
        return "application/x-protobuf";
      }

      @Override
      public io.opentelemetry.sdk.common.export.Compressor getCompressor() {
        return null;
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
        return Map::of;
      }

      @Override
      public ProxyOptions getProxyOptions() {
        return proxy;
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

      @Override
      public long getMaxResponseBodySize() {
        return maxResponseBytes;
      }
    });
  }

  /** One request as the server read it; the body decoded when it came gzipped. */
  private static final class Received {
    final String method;
    final String uri;
    final Map<String, List<String>> headers;
    final byte[] body;
    final int wireLength;
    final int clientPort;

    Received(String method, String uri, Map<String, List<String>> headers, byte[] body, int wireLength,
        int clientPort) {
      this.method = method;
      this.uri = uri;
      this.headers = headers;
      this.body = body;
      this.wireLength = wireLength;
      this.clientPort = clientPort;
    }

    String header(String name) {
      List<String> values = ((com.sun.net.httpserver.Headers) headers).get(name);
      assertThat(values == null ? 0 : values.size()).as("occurrences of " + name).isLessThanOrEqualTo(1);
      return values == null ? null : values.get(0);
    }
  }

  private static final class Answer {
    final int status;
    final byte[] body;
    final Map<String, String> headers;
    final boolean chunked;

    private Answer(int status, byte[] body, Map<String, String> headers, boolean chunked) {
      this.status = status;
      this.body = body;
      this.headers = headers;
      this.chunked = chunked;
    }

    static Answer of(int status, String body) {
      return of(status, body.getBytes(StandardCharsets.UTF_8));
    }

    static Answer of(int status, byte[] body) {
      return new Answer(status, body, Map.of(), false);
    }

    Answer with(String name, String value) {
      return new Answer(status, body, Map.of(name, value), chunked);
    }

    Answer chunked() {
      return new Answer(status, body, headers, true);
    }
  }

  /** A self-signed certificate for 127.0.0.1 made by the JDK's keytool, as a server context and as PEM to trust. */
  private static final class SelfSigned {
    private final KeyStore store;
    private final byte[] pem;

    private SelfSigned(KeyStore store, byte[] pem) {
      this.store = store;
      this.pem = pem;
    }

    static SelfSigned create(Path dir) throws Exception {
      Path keystore = dir.resolve("server.p12");
      Path pem = dir.resolve("server.pem");
      keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
          "CN=localhost", "-ext", "san=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore",
          keystore.toString(), "-storepass", "changeit", "-keypass", "changeit");
      keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", keystore.toString(), "-storepass", "changeit",
          "-file", pem.toString());
      KeyStore store = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(keystore)) {
        store.load(in, "changeit".toCharArray());
      }
      return new SelfSigned(store, Files.readAllBytes(pem));
    }

    SSLContext serverContext() throws Exception {
      KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, "changeit".toCharArray());
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      return context;
    }

    byte[] pem() {
      return pem;
    }

    private static void keytool(String... arguments) throws Exception {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
      command.addAll(Arrays.asList(arguments));
      Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
      assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
    }
  }

  /** An HTTP proxy that only tunnels (CONNECT), relaying octets both ways; it records each request line. */
  private static final class ConnectProxy implements AutoCloseable {
    private final ServerSocket socket;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    private ConnectProxy(ServerSocket socket) {
      this.socket = socket;
    }

    static ConnectProxy start() throws IOException {
      ConnectProxy proxy = new ConnectProxy(new ServerSocket(0, 5, InetAddress.getLoopbackAddress()));
      proxy.threads.execute(proxy::acceptLoop);
      return proxy;
    }

    int port() {
      return socket.getLocalPort();
    }

    List<String> requests() {
      return requests;
    }

    @Override
    public void close() throws IOException {
      socket.close();
      threads.shutdownNow();
    }

    private void acceptLoop() {
      while (!socket.isClosed()) {
        try {
          Socket client = socket.accept();
          threads.execute(() -> tunnel(client));
        } catch (IOException closed) {
          return;
        }
      }
    }

    private void tunnel(Socket client) {
      try (client) {
        InputStream in = client.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
          int octet = in.read();
          if (octet < 0) {
            return;
          }
          head.append((char) octet);
        }
        String requestLine = head.substring(0, head.indexOf("\r\n"));
        requests.add(requestLine);
        String[] target = requestLine.split(" ")[1].split(":");
        try (Socket upstream = new Socket(target[0], Integer.parseInt(target[1]))) {
          client.getOutputStream().write("HTTP/1.1 200 Connection established\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
          threads.execute(() -> relay(upstream, client));
          relay(client, upstream);
        }
      } catch (IOException ended) {
        // the client or the server closed the tunnel
      }
    }

    private static void relay(Socket from, Socket to) {
      try {
        from.getInputStream().transferTo(to.getOutputStream());
        to.shutdownOutput();
      } catch (IOException ended) {
        // one side closed
      }
    }
  }
}
