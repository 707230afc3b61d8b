package dev.tracelight.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracelight.collector.Collector;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The reference config of issue 3, unchanged except that its endpoints point at this test's receivers: three OTLP
 * backends get every span exactly once. Its batch processor waits 10 s; a shutdown drains without waiting for that.
 */
class ReferenceConfigTest {
  private final List<TestBackend> backends = List.of(TestBackend.started(TestBackend.Transport.GRPC),
      TestBackend.started(TestBackend.Transport.GRPC), TestBackend.started(TestBackend.Transport.GRPC));
  private Collector collector;

  @AfterEach
  void stop() {
    RunningCollector.stop(collector);
    backends.forEach(TestBackend::close);
  }

  @Test
  void runsTheReferenceConfigAgainstTestBackends() throws Exception {
    String yaml;
    try (InputStream in = ReferenceConfigTest.class.getResourceAsStream(
        "/dev/tracelight/collector/config/reference-config.yaml")) {
      yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    yaml = yaml.replace("0.0.0.0:4317", "127.0.0.1:0").replace("0.0.0.0:4318", "127.0.0.1:0")
        .replace("jaeger-collector.xxx.svc.cluster.local:14250", backends.get(0).endpoint())
        .replace("jaeger-collector.xxx.svc.cluster.local:4317", backends.get(1).endpoint())
        .replace("xx.xx.x.xxx:8003", backends.get(2).endpoint());
    collector = RunningCollector.start(yaml);

    SdkClients sent = new SdkClients();
    sent.send("grpc", collector.grpcAddress("otlp"), 60, 5, 3);
    sent.send("http", collector.httpAddress("otlp"), 60, 5, 3);
    assertThat(backends).allSatisfy(b -> assertThat(b.spans()).isEmpty()); // held by the 10 s batch timeout

    assertThat(collector.shutdown(Duration.ofSeconds(30))).as("requests left undelivered").isZero();
    collector = null;

    for (TestBackend b : backends) {
      assertThat(b.spanIds()).containsExactlyInAnyOrderElementsOf(sent.spanIds);
      assertThat(b.logs()).isEmpty(); // logs and metrics go to debug only
    }
  }
}
