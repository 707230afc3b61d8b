package dev.tracelight.injector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InjectCommandTest {

  private static final String DEPLOYMENT = """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: test, namespace: xxx}
      spec:
        template:
          metadata:
            annotations: {instrumentation.opentelemetry.io/inject-java: "true"}
          spec:
            containers:
              - name: test
                image: test:1.0
                env: [{name: REDIS_SERVER, value: "redis:6379"}, {name: USER_SERVICE, value: "http://test1:8001"}]
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: test, namespace: xxx}
      spec: {ports: [{port: 8000}]}
      """;
  private static final String INSTRUMENTATION = """
      apiVersion: opentelemetry.io/v1alpha1
      kind: Instrumentation
      metadata: {name: my-instrumentation, namespace: xxx}
      spec:
        exporter:
          endpoint: http://otelcol-collector.xxx.svc.cluster.local:4318
        propagators: [tracecontext, baggage, b3]
        sampler: {type: parentbased_traceidratio, argument: "1"}
      """;

  @TempDir
  Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void injectsAManifestFromStdinAndWritesYaml() throws IOException {
    int status = run(DEPLOYMENT, "inject", "-f", "-", "--instrumentation", file("inst.yaml", INSTRUMENTATION));

    assertThat(status).isZero();
    assertThat(stdout()).contains("- name: JAVA_TOOL_OPTIONS\n          value: "
        + "-javaagent:/otel-auto-instrumentation-java/javaagent.jar")
        .contains("name: opentelemetry-auto-instrumentation-java")
        .contains("kind: Service");
    assertThat(stderr()).isEqualTo("injected 1 of 2 documents\n");
  }

  @Test
  void writesJsonWhenAsked() throws IOException {
    int status = run("", "inject", "-f", file("app.yaml", DEPLOYMENT), "--instrumentation",
        file("inst.yaml", INSTRUMENTATION), "-o", "json");

    assertThat(status).isZero();
    assertThat(stdout()).startsWith("{").contains("\"kind\" : \"List\"").contains("\"OTEL_SERVICE_NAME\"");
  }

  @Test
  void refusesAnInstrumentationWithMistakesAndWritesNothing() throws IOException {
    String bad = INSTRUMENTATION.replace("b3]", "b4]").replace("argument: \"1\"", "argument: \"1.5\"")
        .replace("endpoint: http://", "endpoint: ");

    int status = run(DEPLOYMENT, "inject", "-f", "-", "--instrumentation", file("inst.yaml", bad));

    assertThat(status).isEqualTo(1);
    assertThat(stdout()).isEmpty();
    assertThat(stderr().lines().toList()).hasSize(3).allMatch(l -> l.startsWith("error: ")).anyMatch(l -> l.contains(
        "spec.exporter.endpoint: \"otelcol-collector.xxx.svc.cluster.local:4318\" has no scheme"))
        .anyMatch(l -> l.contains("spec.propagators[2]: unknown propagator \"b4\""))
        .anyMatch(l -> l.contains("spec.sampler.argument: 1.5 is outside [0,1]"));
  }

  @Test
  void refusesADuplicatedEndpointWithTheLine() throws IOException {
    String twice = INSTRUMENTATION.replace("    endpoint: http://otelcol",
        "    endpoint: http://otelcol-collector.xxx.svc.cluster.local:4317\n    endpoint: http://otelcol");

    int status = run(DEPLOYMENT, "inject", "-f", "-", "--instrumentation", file("inst.yaml", twice));

    assertThat(status).isEqualTo(2);
    assertThat(stdout()).isEmpty();
    assertThat(stderr()).startsWith("error: " + dir.resolve("inst.yaml") + ":7: key \"endpoint\" appears twice");
  }

  @Test
  void writesNothingWhenAnAnnotatedWorkloadCannotBeInjected() throws IOException {
    int status = run(DEPLOYMENT.replace("\"true\"", "\"missing\""), "inject", "-f", "-", "--instrumentation",
        file("inst.yaml", INSTRUMENTATION));

    assertThat(status).isEqualTo(1);
    assertThat(stdout()).isEmpty();
    assertThat(stderr()).contains("error: -: document 1 (Deployment xxx/test): tracelight: not injected: "
        + "Instrumentation xxx/missing not found");
  }

  @Test
  void namesAMissingFileAndAnUnknownOption() {
    assertThat(run("", "inject", "-f", dir.resolve("nope.yaml").toString())).isEqualTo(2);
    assertThat(stderr()).contains("nope.yaml: no such file");
    err.reset();
    assertThat(run("", "inject", "-f", "-", "--fast")).isEqualTo(2);
    assertThat(stderr()).startsWith("error: inject: unknown option --fast");
  }

  private String file(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text).toString();
  }

  private int run(String stdin, String... args) {
    return Main.run(List.of(args), new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }
}
