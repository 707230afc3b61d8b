package dev.tracelight.collector.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tracelight.collector.Collector;
import dev.tracelight.collector.OtlpSamples;
import dev.tracelight.collector.config.ConfigReader;
import dev.tracelight.collector.otlp.OtlpGrpc;
import dev.tracelight.collector.pipeline.Signal;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The committed nasty inputs (see {@link NastyCorpus}) against a running collector-lite over HTTP and gRPC: each gets
 * exactly the status its file name says, within the client's 10 s, and afterwards the collector holds no admitted
 * bytes and still takes a good request.
 */
class NastyInputsTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static Collector collector;
  private static ManagedChannel channel;

  @BeforeAll
  static void start() throws Exception {
    collector = Collector.start(ConfigReader.create(Map.of(), false, Runtime.getRuntime().maxMemory())
        .read("nasty.yaml", """
            receivers:
              otlp:
                protocols:
                  http: {endpoint: "127.0.0.1:0"}
                  grpc: {endpoint: "127.0.0.1:0"}
            exporters:
              debug: {verbosity: basic}
            service:
              telemetry: {metrics: {level: none}, logs: {level: error}}
              pipelines:
                traces: {receivers: [otlp], exporters: [debug]}
                metrics: {receivers: [otlp], exporters: [debug]}
                logs: {receivers: [otlp], exporters: [debug]}
            """));
    channel = NettyChannelBuilder.forAddress("127.0.0.1", collector.grpcAddress("otlp").getPort()).usePlaintext()
        .build();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    collector.shutdown(Duration.ofSeconds(1));
  }

  static List<Path> corpus() throws IOException, URISyntaxException {
    Path dir = Path.of(NastyInputsTest.class.getResource("nasty").toURI());
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().toList();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void answersEachNastyInputOverHttpWithTheStatusItsNameSays(Path file) throws Exception {
    String name = file.getFileName().toString();
    int expected = Integer.parseInt(name.substring(0, 3));
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + collector.httpAddress("otlp").getPort() + signal(name).httpPath())).timeout(Duration.ofSeconds(10))
        .header("Content-Type", name.contains(".json") ? "application/json" : "application/x-protobuf");
    if (name.endsWith(".gz")) {
      request.header("Content-Encoding", "gzip");
    }

    HttpResponse<String> response = HTTP.send(request.POST(HttpRequest.BodyPublishers.ofFile(file)).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void answersEachNastyProtobufInputOverGrpcWithInvalidArgument(Path file) throws Exception {
    String name = file.getFileName().toString();
    if (!name.endsWith(".pb")) {
      return; // gRPC carries protobuf only, uncompressed here
    }
    byte[] body = Files.readAllBytes(file);
    CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS);
    if (name.startsWith("200")) {
      assertThat(ClientCalls.blockingUnaryCall(channel, OtlpGrpc.export(signal(name)), options, body)).isEmpty();
      return;
    }
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> ClientCalls.blockingUnaryCall(channel, OtlpGrpc.export(signal(name)), options, body));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void holdsNoAdmittedBytesAfterwardsAndStillTakesAGoodRequest() throws Exception {
    for (Path file : corpus()) {
      answersEachNastyInputOverHttpWithTheStatusItsNameSays(file);
    }
    int status = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + collector.httpAddress("otlp")
            .getPort() + "/v1/traces")).header("Content-Type", "application/x-protobuf")
        .POST(HttpRequest.BodyPublishers.ofByteArray(OtlpSamples.traces("after", 1, 2).toByteArray())).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();

    assertThat(status).isEqualTo(200);
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> collector.telemetry().value("otelcol_receiver_admitted_bytes") == 0);
  }

  private static Signal signal(String name) {
    return name.contains("-traces-") ? Signal.TRACES : name.contains("-metrics-") ? Signal.METRICS : Signal.LOGS;
  }
}
