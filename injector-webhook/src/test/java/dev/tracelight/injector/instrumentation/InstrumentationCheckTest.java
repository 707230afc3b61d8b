package dev.tracelight.injector.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tracelight.injector.manifest.InstrumentationFile;
import dev.tracelight.injector.manifest.ManifestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InstrumentationCheckTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "exporter: {endpoint: 'otelcol-collector:4317'}"
          + " | spec.exporter.endpoint: \"otelcol-collector:4317\" has no scheme (expected http://host:port or "
          + "https://host:port, e.g. http://otelcol-collector:4318)",
      "exporter: {endpoint: 'otelcol-collector.xxx.svc.cluster.local'}"
          + " | spec.exporter.endpoint: \"otelcol-collector.xxx.svc.cluster.local\" has no scheme",
      "exporter: {endpoint: 'grpc://otelcol:4317'}"
          + " | spec.exporter.endpoint: \"grpc://otelcol:4317\" has scheme \"grpc\"",
      "propagators: [tracecontext, w3c]"
          + " | spec.propagators[1]: unknown propagator \"w3c\" (expected one of b3, b3multi, baggage, jaeger, none, "
          + "ottrace, tracecontext, xray)",
      "sampler: {type: parentbased_ratio, argument: '0.5'}"
          + " | spec.sampler.type: unknown sampler \"parentbased_ratio\"",
      "sampler: {type: parentbased_traceidratio, argument: '1.5'}"
          + " | spec.sampler.argument: 1.5 is outside [0,1] (0 samples no trace, 1 every trace)",
      "sampler: {type: traceidratio, argument: '-0.1'}"
          + " | spec.sampler.argument: -0.1 is outside [0,1]",
      "sampler: {type: traceidratio, argument: half}"
          + " | spec.sampler.argument: \"half\" is not a number (expected a ratio in [0,1], e.g. \"0.25\")",
      "env: [{name: OTEL_EXPORTER_OTLP_ENDPOINT, value: 'collector:4318'}]"
          + " | spec.env[0] (OTEL_EXPORTER_OTLP_ENDPOINT): \"collector:4318\" has no scheme"})
  void namesEachMistakeWithWhereAndWhatIsExpected(String spec, String expected) {
    Instrumentation instrumentation = InstrumentationFile.read("i.yaml", """
        apiVersion: opentelemetry.io/v1alpha1
        kind: Instrumentation
        metadata: {name: bad, namespace: xxx}
        spec:
          %s
        """.formatted(spec)).get(0);

    assertThat(InstrumentationCheck.problems(instrumentation)).singleElement().asString()
        .startsWith("Instrumentation xxx/bad: " + expected);
  }

  @Test
  void acceptsTheReferenceInstrumentation() {
    Instrumentation instrumentation = InstrumentationFile.read("i.yaml", """
        apiVersion: opentelemetry.io/v1alpha1
        kind: Instrumentation
        metadata: {name: ok, namespace: xxx}
        spec:
          exporter: {endpoint: "http://otelcol-collector.xxx.svc.cluster.local:4318"}
          propagators: [tracecontext, baggage, b3]
          sampler: {type: parentbased_traceidratio, argument: "1"}
          nodejs: {image: ignored}
        """).get(0);

    assertThat(InstrumentationCheck.problems(instrumentation)).isEmpty();
    assertThat(instrumentation.getSpec().propagators()).containsExactly("tracecontext", "baggage", "b3");
  }

  @Test
  void refusesAnEndpointGivenTwiceAndSaysWhere() {
    assertThatThrownBy(() -> InstrumentationFile.read("inst.yaml", """
        apiVersion: opentelemetry.io/v1alpha1
        kind: Instrumentation
        metadata: {name: twice}
        spec:
          exporter:
            endpoint: http://otelcol:4317
            endpoint: http://otelcol:4318
        """))
        .isInstanceOf(ManifestException.class)
        .hasMessage("inst.yaml:7: key \"endpoint\" appears twice in the same mapping (keep one of them; a YAML "
            + "mapping cannot hold a key twice)");
  }

  @Test
  void refusesAFileThatHoldsSomethingElse() {
    assertThatThrownBy(() -> InstrumentationFile.read("inst.yaml", "apiVersion: v1\nkind: ConfigMap\n"))
        .hasMessage("inst.yaml: document 1: expected apiVersion opentelemetry.io/v1alpha1, kind Instrumentation; "
            + "found v1, ConfigMap");
  }

  @Test
  void namesASpecThatDoesNotMatchTheSchema() {
    assertThatThrownBy(() -> InstrumentationFile.read("inst.yaml", """
        apiVersion: opentelemetry.io/v1alpha1
        kind: Instrumentation
        metadata: {name: wrong}
        spec:
          propagators: {tracecontext: true}
        """))
        .hasMessageStartingWith("inst.yaml: document 1 (Instrumentation wrong): does not match the Instrumentation "
            + "schema");
  }
}
