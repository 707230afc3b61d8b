package dev.tracelight.injector.mutation;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where this injector departs from the operator on purpose; each departure fixes an operator issue. */
class BetterThanTheOperatorTest {

  @Test
  void keepsEveryVariableTheUserSetAndNeverRepeatsOne() {
    Pod pod = ReferenceWorkload.pod().editSpec().editFirstContainer()
        .addNewEnv().withName("OTEL_SERVICE_NAME").withValue("mine").endEnv()
        .addNewEnv().withName("OTEL_EXPORTER_OTLP_ENDPOINT").withValue("http://mine:4317").endEnv()
        .addNewEnv().withName("OTEL_PROPAGATORS").withValue("tracecontext").endEnv()
        .addNewEnv().withName("OTEL_TRACES_SAMPLER").withValue("always_on").endEnv()
        .addNewEnv().withName("OTEL_POD_IP").withValue("1.2.3.4").endEnv()
        .addNewEnv().withName("OTEL_RESOURCE_ATTRIBUTES").withValue("k8s.namespace.name=mine,team=a").endEnv()
        .endContainer().endSpec().build();

    Container injected = ReferenceWorkload.inject(pod).pod().getSpec().getContainers().get(0);

    Map<String, String> values = PodInjectionTest.values(injected);
    assertThat(values).containsEntry("OTEL_SERVICE_NAME", "mine")
        .containsEntry("OTEL_EXPORTER_OTLP_ENDPOINT", "http://mine:4317")
        .containsEntry("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")  // derived from the user's endpoint
        .containsEntry("OTEL_PROPAGATORS", "tracecontext")
        .containsEntry("OTEL_TRACES_SAMPLER", "always_on")
        .containsEntry("OTEL_POD_IP", "1.2.3.4")
        .doesNotContainKey("OTEL_TRACES_SAMPLER_ARG");
    assertThat(values.get("OTEL_RESOURCE_ATTRIBUTES"))
        .startsWith("k8s.namespace.name=mine,team=a,k8s.container.name=test,")
        .doesNotContain("k8s.namespace.name=xxx");
    assertThat(injected.getEnv()).extracting(EnvVar::getName).doesNotHaveDuplicates();
    assertThat(injected.getEnv().get(injected.getEnv().size() - 1).getName()).isEqualTo("OTEL_RESOURCE_ATTRIBUTES");
  }

  @Test
  void keepsAProtocolTheUserSet() {
    Pod pod = ReferenceWorkload.pod().editSpec().editFirstContainer()
        .addNewEnv().withName("OTEL_EXPORTER_OTLP_PROTOCOL").withValue("http/json").endEnv()
        .endContainer().endSpec().build();

    Container injected = ReferenceWorkload.inject(pod).pod().getSpec().getContainers().get(0);

    assertThat(injected.getEnv()).filteredOn(e -> e.getName().equals("OTEL_EXPORTER_OTLP_PROTOCOL"))
        .extracting(EnvVar::getValue).containsExactly("http/json");
  }

  @Test
  void appendsTheAgentToTheUsersJavaToolOptions() {
    Pod pod = ReferenceWorkload.pod().editSpec().editFirstContainer()
        .addNewEnv().withName("JAVA_TOOL_OPTIONS").withValue("-Xmx512m").endEnv()
        .endContainer().endSpec().build();

    Container injected = ReferenceWorkload.inject(pod).pod().getSpec().getContainers().get(0);

    assertThat(PodInjectionTest.values(injected))
        .containsEntry("JAVA_TOOL_OPTIONS", "-Xmx512m -javaagent:/otel-auto-instrumentation-java/javaagent.jar");
  }

  @Test
  void extendsJavaToolOptionsGivenThroughValueFromByReferencingIt() {
    Pod pod = ReferenceWorkload.pod().editSpec().editFirstContainer()
        .addNewEnv().withName("JAVA_TOOL_OPTIONS").withNewValueFrom().withNewConfigMapKeyRef()
        .withName("jvm").withKey("options").endConfigMapKeyRef().endValueFrom().endEnv()
        .endContainer().endSpec().build();

    InjectionOutcome outcome = ReferenceWorkload.inject(pod);

    List<EnvVar> env = outcome.pod().getSpec().getContainers().get(0).getEnv();
    assertThat(outcome.status()).isEqualTo(InjectionOutcome.Status.INJECTED);
    assertThat(env).extracting(EnvVar::getName).containsSubsequence("USER_SERVICE",
        "TRACELIGHT_APP_JAVA_TOOL_OPTIONS", "JAVA_TOOL_OPTIONS", "OTEL_SERVICE_NAME");
    EnvVar app = env.stream().filter(e -> e.getName().equals("TRACELIGHT_APP_JAVA_TOOL_OPTIONS")).findFirst()
        .orElseThrow();
    assertThat(app.getValueFrom().getConfigMapKeyRef().getName()).isEqualTo("jvm");
    assertThat(PodInjectionTest.values(outcome.pod().getSpec().getContainers().get(0))).containsEntry(
        "JAVA_TOOL_OPTIONS", "$(TRACELIGHT_APP_JAVA_TOOL_OPTIONS) -javaagent:/otel-auto-instrumentation-java/"
            + "javaagent.jar");
    assertThat(ReferenceWorkload.inject(outcome.pod()).status())
        .isEqualTo(InjectionOutcome.Status.ALREADY_INJECTED);
  }

  @Test
  void refusesAnOptionalJavaToolOptionsSourceWithAReason() {
    Pod pod = ReferenceWorkload.pod().editSpec().editFirstContainer()
        .addNewEnv().withName("JAVA_TOOL_OPTIONS").withNewValueFrom().withNewSecretKeyRef()
        .withName("jvm").withKey("options").withOptional(true).endSecretKeyRef().endValueFrom().endEnv()
        .endContainer().endSpec().build();

    InjectionOutcome outcome = ReferenceWorkload.inject(pod);

    assertThat(outcome.status()).isEqualTo(InjectionOutcome.Status.REFUSED);
    assertThat(outcome.pod()).isSameAs(pod);
    assertThat(outcome.warnings()).singleElement().asString()
        .startsWith("tracelight: not injected: container test: JAVA_TOOL_OPTIONS comes from an optional Secret key");
  }

  @Test
  void neverPicksAnIstioProxyThatComesFirst() {
    Pod pod = ReferenceWorkload.pod().editSpec().addNewContainer().withName("istio-proxy")
        .withImage("istio/proxyv2:1.22").endContainer().endSpec().build();
    pod.getSpec().setContainers(List.of(pod.getSpec().getContainers().get(1), pod.getSpec().getContainers().get(0)));

    Pod injected = ReferenceWorkload.inject(pod).pod();

    assertThat(injected.getSpec().getContainers().get(0).getEnv()).isNullOrEmpty();
    assertThat(PodInjectionTest.values(injected.getSpec().getContainers().get(1)))
        .containsEntry("OTEL_SERVICE_NAME", "test");
  }
}
