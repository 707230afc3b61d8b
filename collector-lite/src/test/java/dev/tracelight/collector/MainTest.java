package dev.tracelight.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
  @TempDir
  Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void validateExitsZeroAndPrintsWarningsForAGoodConfig() throws Exception {
    Path config = write("""
        receivers: {otlp: {protocols: {grpc: {endpoint: "0.0.0.0:4317"}}}}
        exporters: {otlp: {endpoint: "jaeger:14250", tls: {insecure: true}}}
        service: {pipelines: {traces: {receivers: [otlp], exporters: [otlp]}}}
        """);

    Main.Runner r = Main.run(new String[] {"--config", config.toString(), "--validate"}, Map.of(), print(out),
        print(err));

    assertThat(r.exitCode()).isZero();
    assertThat(text(out)).isEqualTo(config + ": valid (1 pipelines, 1 warnings)\n");
    assertThat(text(err)).startsWith("warning: " + config + ": exporters.otlp.endpoint: port 14250 is Jaeger's legacy");
  }

  @Test
  void validateExitsOneAndPrintsEveryErrorForABadConfig() throws Exception {
    Path config = write("""
        receivers: {otlp: {protocols: {grpc: {endpoint: "0.0.0.0:4317"}}}}
        exporters: {otlp: {endpoint: "jaeger"}}
        service: {pipelines: {traces: {receivers: [otlp], exporters: [otlp, debug]}}}
        """);

    Main.Runner r = Main.run(new String[] {"--validate", "--config=" + config}, Map.of(), print(out), print(err));

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(text(err)).isEqualTo(
        "error: " + config + ": exporters.otlp.endpoint: missing port (expected host:port, e.g. jaeger-collector:4317)\n"
            + "error: " + config + ": service.pipelines.traces.exporters: \"debug\" is not defined under exporters "
            + "(defined: otlp)\n");
  }

  @Test
  void takesTheConfigPathFromTheEnvironment() throws Exception {
    Path config = write("""
        receivers: {otlp: {protocols: {http: {endpoint: "0.0.0.0:4318"}}}}
        exporters: {debug: }
        service: {pipelines: {logs: {receivers: [otlp], exporters: [debug]}}}
        """);

    Main.Runner r = Main.run(new String[] {"--validate"}, Map.of("COLLECTOR_CONFIG", config.toString()), print(out),
        print(err));

    assertThat(r.exitCode()).isZero();
    assertThat(text(out)).contains("valid (1 pipelines, 0 warnings)");
  }

  @Test
  void exitsTwoWithUsageWithoutAConfigOrWithUnknownArguments() {
    assertThat(Main.run(new String[] {}, Map.of(), print(out), print(err)).exitCode()).isEqualTo(2);
    assertThat(Main.run(new String[] {"--bogus"}, Map.of(), print(out), print(err)).exitCode()).isEqualTo(2);
    assertThat(text(err)).contains("no config given").contains("unknown argument --bogus").contains("COLLECTOR_CONFIG");
  }

  @Test
  void reportsAMissingFile() {
    Main.Runner r = Main.run(new String[] {"--config", dir.resolve("nope.yaml").toString()}, Map.of(), print(out),
        print(err));

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(text(err)).startsWith("error: " + dir.resolve("nope.yaml") + ": cannot read the config file");
  }

  private Path write(String yaml) throws Exception {
    Path p = dir.resolve("config.yaml");
    Files.writeString(p, yaml);
    return p;
  }

  private static PrintStream print(ByteArrayOutputStream s) {
    return new PrintStream(s, true, StandardCharsets.UTF_8);
  }

  private static String text(ByteArrayOutputStream s) {
    return s.toString(StandardCharsets.UTF_8);
  }
}
