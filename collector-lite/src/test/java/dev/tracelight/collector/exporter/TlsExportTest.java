package dev.tracelight.collector.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.tracelight.collector.OtlpSamples;
import dev.tracelight.collector.config.ComponentId;
import dev.tracelight.collector.config.ExporterConfig;
import dev.tracelight.collector.config.HostPort;
import dev.tracelight.collector.pipeline.OtlpRequest;
import dev.tracelight.collector.pipeline.RetryPolicy;
import dev.tracelight.collector.pipeline.Signal;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tls.ca_file and headers against real TLS servers whose self-signed certificate keytool makes for the test. */
class TlsExportTest {
  private static final char[] PASSWORD = "changeit".toCharArray();
  @TempDir
  Path dir;
  private final List<String> tenants = new CopyOnWriteArrayList<>();
  private KeyManagerFactory keys;
  private Path ca;
  private Server grpc;
  private HttpsServer https;

  @BeforeEach
  void makeCertificate() throws Exception {
    Path keystore = dir.resolve("backend.p12");
    ca = dir.resolve("ca.pem");
    keytool("-genkeypair", "-alias", "backend", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
        "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12", "-keystore",
        keystore.toString(), "-storepass", "changeit", "-keypass", "changeit");
    keytool("-exportcert", "-rfc", "-alias", "backend", "-keystore", keystore.toString(), "-storepass", "changeit",
        "-file", ca.toString());
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, PASSWORD);
    }
    keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, PASSWORD);
  }

  @AfterEach
  void stop() {
    if (grpc != null) {
      grpc.shutdownNow();
    }
    if (https != null) {
      https.stop(0);
    }
  }

  @Test
  void otlpExportsOverTlsTrustingTheCaFileAndSendsHeaders() throws Exception {
    Metadata.Key<String> tenant = Metadata.Key.of("x-tenant", Metadata.ASCII_STRING_MARSHALLER);
    grpc = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0),
            TlsServerCredentials.newBuilder().keyManager(keys.getKeyManagers()).build())
        .addService(ServerInterceptors.intercept(new TraceServiceGrpc.TraceServiceImplBase() {
          @Override
          public void export(ExportTraceServiceRequest r, StreamObserver<ExportTraceServiceResponse> response) {
            response.onNext(ExportTraceServiceResponse.getDefaultInstance());
            response.onCompleted();
          }
        }, new io.grpc.ServerInterceptor() {
          @Override
          public <Q, A> io.grpc.ServerCall.Listener<Q> interceptCall(io.grpc.ServerCall<Q, A> call, Metadata headers,
              io.grpc.ServerCallHandler<Q, A> next) {
            tenants.add(headers.get(tenant));
            return next.startCall(call, headers);
          }
        }))
        .build().start();

    assertThat(grpcExport(ca.toString())).isEqualTo(ExportResult.success());
    assertThat(tenants).containsExactly("acme");
    ExportResult untrusted = grpcExport(null); // the system trust store does not know the test's certificate
    assertThat(untrusted.outcome()).isEqualTo(ExportResult.Outcome.RETRYABLE);
    assertThat(tenants).hasSize(1);
  }

  @Test
  void otlphttpExportsOverHttpsTrustingTheCaFileAndSendsHeaders() throws Exception {
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(keys.getKeyManagers(), null, null);
    https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    https.setHttpsConfigurator(new HttpsConfigurator(ssl));
    https.createContext("/v1/traces", exchange -> {
      try (exchange) {
        exchange.getRequestBody().readAllBytes();
        tenants.add(exchange.getRequestHeaders().getFirst("X-Tenant"));
        exchange.sendResponseHeaders(200, -1);
      }
    });
    https.start();
    OtlpHttpExporter exporter = OtlpHttpExporter.create(new ExporterConfig.OtlpHttp(ComponentId.parse("otlphttp"),
        Map.of(Signal.TRACES, URI.create("https://127.0.0.1:" + https.getAddress().getPort() + "/v1/traces")),
        new ExporterConfig.Tls(false, ca.toString(), null, null), Map.of("X-Tenant", "acme"), true, false,
        Duration.ofSeconds(10), new ExporterConfig.Queue(true, 10, 1), RetryPolicy.defaults()));

    assertThat(exporter.export(request())).isEqualTo(ExportResult.success());
    assertThat(tenants).containsExactly("acme");
  }

  private ExportResult grpcExport(String caFile) throws Exception {
    OtlpGrpcExporter exporter = OtlpGrpcExporter.create(new ExporterConfig.OtlpGrpc(ComponentId.parse("otlp"),
        new HostPort("127.0.0.1", grpc.getPort()), new ExporterConfig.Tls(false, caFile, null, null),
        Map.of("x-tenant", "acme"), true, Duration.ofSeconds(10), new ExporterConfig.Queue(true, 10, 1),
        RetryPolicy.defaults()));
    try {
      return exporter.export(request());
    } finally {
      exporter.close();
    }
  }

  private static OtlpRequest request() throws Exception {
    return OtlpRequest.parse(Signal.TRACES, OtlpSamples.traces("tls", 1, 2).toByteArray());
  }

  private static void keytool(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
  }
}
