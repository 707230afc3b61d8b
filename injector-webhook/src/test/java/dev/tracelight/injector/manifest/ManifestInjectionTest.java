package dev.tracelight.injector.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracelight.injector.mutation.PodInjection;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class ManifestInjectionTest {

  private static final String INSTRUMENTATION = """
      apiVersion: opentelemetry.io/v1alpha1
      kind: Instrumentation
      metadata: {name: java, namespace: xxx}
      spec:
        exporter: {endpoint: "http://otelcol-collector.xxx.svc.cluster.local:4318"}
      """;
  private static final String TEMPLATE = """
          metadata:
            annotations: {instrumentation.opentelemetry.io/inject-java: "true"}
          spec:
            containers: [{name: app, image: "app:2", ports: [{containerPort: 8000}]}]
      """;

  private final ManifestInjection injection =
      ManifestInjection.create(PodInjection.create("init:1"), null, "xxx");

  @Test
  void mutatesEveryWorkloadKindAndPassesOtherDocumentsThrough() {
    String stream = INSTRUMENTATION
        + "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n" + TEMPLATE
        + "---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: s}\nspec:\n  template:\n" + TEMPLATE
        + "---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: ds}\nspec:\n  template:\n" + TEMPLATE
        + "---\napiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  template:\n" + TEMPLATE
        + "---\napiVersion: batch/v1\nkind: CronJob\nmetadata: {name: cj}\nspec:\n  schedule: '@daily'\n"
        + "  jobTemplate:\n    spec:\n      template:\n" + TEMPLATE.indent(4)
        + "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n" + TEMPLATE.replace("    metadata:\n", "")
            .replace("      annotations", "  annotations").replace("    spec:", "spec:")
            .replace("      containers", "  containers")
        + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {key: \"1\", on: \"yes\"}\n"
        + "---\napiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {template: {x: 1}}\n";
    List<ObjectNode> input = ManifestDocuments.read("app.yaml", stream);

    ManifestInjection.Result result = injection.inject("app.yaml", input);

    assertThat(result.errors()).isEmpty();
    assertThat(result.injected()).isEqualTo(6);
    List<ObjectNode> out = result.documents();
    assertThat(out).hasSize(9);
    assertThat(serviceName(out.get(1).at("/spec/template/spec"))).isEqualTo("d");
    assertThat(serviceName(out.get(2).at("/spec/template/spec"))).isEqualTo("s");
    assertThat(serviceName(out.get(3).at("/spec/template/spec"))).isEqualTo("ds");
    assertThat(serviceName(out.get(4).at("/spec/template/spec"))).isEqualTo("j");
    assertThat(serviceName(out.get(5).at("/spec/jobTemplate/spec/template/spec"))).isEqualTo("cj");
    assertThat(serviceName(out.get(6).at("/spec"))).isEqualTo("p");
    assertThat(out.get(0)).isEqualTo(input.get(0));
    assertThat(out.get(7)).isEqualTo(input.get(7));
    assertThat(out.get(8)).isEqualTo(input.get(8));
    assertThat(out.get(1).at("/spec/template/spec/containers/0/ports/0/containerPort").asInt()).isEqualTo(8000);
    assertThat(out.get(1).at("/spec/template/metadata").has("namespace")).isFalse();
    assertThat(out.get(6).at("/metadata").has("namespace")).isFalse();
    assertThat(out.get(1).at("/spec/template/spec/initContainers/0/name").asString())
        .isEqualTo("opentelemetry-auto-instrumentation-java");
  }

  @Test
  void keepsFieldsTheKubernetesModelDoesNotKnow() {
    List<ObjectNode> input = ManifestDocuments.read("app.yaml", INSTRUMENTATION
        + "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n" + TEMPLATE
            .replace("image: \"app:2\"", "image: \"app:2\", futureField: {a: 1}"));

    ObjectNode out = injection.inject("app.yaml", input).documents().get(1);

    assertThat(out.at("/spec/template/spec/containers/0/futureField/a").asInt()).isEqualTo(1);
  }

  @Test
  void followsANamespaceAnnotationFromTheSameStream() {
    List<ObjectNode> input = ManifestDocuments.read("app.yaml", INSTRUMENTATION
        + "---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: xxx\n  annotations:\n"
        + "    instrumentation.opentelemetry.io/inject-java: java\n"
        + "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: xxx}\nspec:\n  template:\n"
        + "    spec:\n      containers: [{name: app, image: app}]\n");

    ManifestInjection.Result result = injection.inject("app.yaml", input);

    assertThat(result.injected()).isEqualTo(1);
    assertThat(serviceName(result.documents().get(2).at("/spec/template/spec"))).isEqualTo("d");
  }

  @Test
  void reportsAWorkloadThatCannotBeInjectedAsAnError() {
    List<ObjectNode> input = ManifestDocuments.read("app.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: other}\nspec:\n  template:\n"
            + TEMPLATE);

    ManifestInjection.Result result = injection.inject("app.yaml", input);

    assertThat(result.injected()).isZero();
    assertThat(result.errors()).containsExactly("app.yaml: document 1 (Deployment other/d): tracelight: not "
        + "injected: no Instrumentation in namespace other (create one there, or name one as \"namespace/name\" in "
        + "the annotation)");
  }

  @Test
  void writesJsonAsAnObjectOrAList() {
    List<ObjectNode> two = ManifestDocuments.read("x", "kind: A\n---\nkind: B\n");

    assertThat(ManifestDocuments.read("x.json", ManifestDocuments.write(two, true))).isEqualTo(two);
    assertThat(ManifestDocuments.write(two.subList(0, 1), true)).startsWith("{").doesNotContain("List");
    assertThat(ManifestDocuments.read("x.yaml", ManifestDocuments.write(two, false))).isEqualTo(two);
  }

  private static String serviceName(JsonNode podSpec) {
    for (JsonNode env : podSpec.at("/containers/0/env")) {
      if (env.path("name").asString().equals("OTEL_SERVICE_NAME")) {
        return env.path("value").asString();
      }
    }
    return null;
  }
}
