package dev.tracelight.injector.mutation;

import dev.tracelight.injector.instrumentation.Instrumentation;
import dev.tracelight.injector.instrumentation.InstrumentationCatalog;
import dev.tracelight.injector.manifest.InstrumentationFile;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;

/**
 * The operator's reference workload: Deployment "test" in namespace "xxx" (container "test" with REDIS_SERVER and
 * USER_SERVICE), and an Instrumentation exporting to the collector's OTLP/HTTP port.
 */
final class ReferenceWorkload {

  static final String INSTRUMENTATION_YAML = """
      apiVersion: opentelemetry.io/v1alpha1
      kind: Instrumentation
      metadata:
        name: my-instrumentation
        namespace: xxx
      spec:
        exporter:
          endpoint: http://otelcol-collector.xxx.svc.cluster.local:4318
        propagators:
          - tracecontext
          - baggage
          - b3
        sampler:
          type: parentbased_traceidratio
          argument: "1"
        java:
          image: tracelight/init-image:0.1.0
      """;

  static final PodInjection INJECTION = PodInjection.create("tracelight/init-image:default");

  private ReferenceWorkload() {
  }

  static Instrumentation instrumentation() {
    return InstrumentationFile.read("reference.yaml", INSTRUMENTATION_YAML).get(0);
  }

  static Instrumentation instrumentation(String yaml) {
    return InstrumentationFile.read("test.yaml", yaml).get(0);
  }

  static InstrumentationCatalog catalog() {
    return InstrumentationCatalog.of(List.of(instrumentation()));
  }

  /** The pod the Deployment's ReplicaSet creates: no name yet, owned by the ReplicaSet, annotated inject-java. */
  static PodBuilder pod() {
    return new PodBuilder()
        .withNewMetadata()
          .withGenerateName("test-5d8f9b7c4-")
          .withNamespace("xxx")
          .addToLabels("app", "test")
          .addToLabels("pod-template-hash", "5d8f9b7c4")
          .addToAnnotations(Annotations.INJECT_JAVA, "true")
          .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName("test-5d8f9b7c4")
            .withController(true).withUid("rs-uid").endOwnerReference()
        .endMetadata()
        .withNewSpec()
          .addNewContainer()
            .withName("test")
            .withImage("registry.example/test:1.0")
            .addNewEnv().withName("REDIS_SERVER").withValue("redis:6379").endEnv()
            .addNewEnv().withName("USER_SERVICE").withValue("http://test1:8001").endEnv()
          .endContainer()
        .endSpec();
  }

  static ObjectMeta namespace(String injectJava) {
    ObjectMetaBuilder meta = new ObjectMetaBuilder().withName("xxx");
    if (injectJava != null) {
      meta.addToAnnotations(Annotations.INJECT_JAVA, injectJava);
    }
    return meta.build();
  }

  static InjectionOutcome inject(Pod pod) {
    return INJECTION.inject(pod, namespace(null), Owners.fromPod(pod), catalog());
  }
}
