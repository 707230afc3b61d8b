package dev.tracelight.injector.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracelight.injector.manifest.ManifestDocuments;
import dev.tracelight.injector.manifest.ManifestInjection;
import dev.tracelight.injector.mutation.PodInjection;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Injection must not take a pod out of the "restricted" Pod Security Standard (operator #1058, #2272, #2726). */
class InjectedPodSecurityTest {

  @Test
  void aRestrictedPodStaysRestrictedAfterInjection() {
    var documents = ManifestDocuments.read("app.yaml", """
        apiVersion: opentelemetry.io/v1alpha1
        kind: Instrumentation
        metadata: {name: java, namespace: xxx}
        spec: {exporter: {endpoint: "http://otelcol-collector.xxx.svc.cluster.local:4318"}}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: test, namespace: xxx}
        spec:
          template:
            metadata:
              annotations: {instrumentation.opentelemetry.io/inject-java: "true"}
            spec:
              securityContext: {runAsNonRoot: true, runAsUser: 1000, seccompProfile: {type: RuntimeDefault}}
              containers:
                - name: test
                  image: test:1.0
                  securityContext:
                    allowPrivilegeEscalation: false
                    readOnlyRootFilesystem: true
                    capabilities: {drop: [ALL]}
        """);
    assertThat(RestrictedProfile.violations(documents.get(1).at("/spec/template/spec"))).isEmpty();

    ManifestInjection.Result result = ManifestInjection.create(PodInjection.create("init:1"), null, "xxx")
        .inject("app.yaml", documents);

    JsonNode spec = result.documents().get(1).at("/spec/template/spec");
    assertThat(spec.at("/initContainers/0/name").asString()).isEqualTo("opentelemetry-auto-instrumentation-java");
    assertThat(RestrictedProfile.violations(spec)).isEmpty();
  }
}
