package dev.tracelight.injector.mutation;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which containers of a pod get the agent: the ones the {@code java-container-names} / {@code container-names}
 * annotation lists, else the first container that is not a known sidecar. The operator takes containers[0], which
 * is istio-proxy in many meshed pods (operator issues #2158, #2243, #2019).
 */
final class TargetContainers {

  /** Container names that service meshes, secret and proxy injectors give their sidecars. */
  static final Set<String> KNOWN_SIDECARS = Set.of(
      "istio-proxy", "istio-validation", "linkerd-proxy", "linkerd-init", "envoy", "envoy-sidecar", "kuma-sidecar",
      "consul-dataplane", "consul-connect-envoy-sidecar", "daprd", "vault-agent", "vault-agent-init",
      "cloud-sql-proxy", "cloudsql-proxy", "aws-xray-daemon", "otc-container", "datadog-agent", "fluent-bit",
      "oauth2-proxy");

  private TargetContainers() {
  }

  /** The chosen container names, or why none can be chosen. */
  record Choice(List<String> names, String problem) {
  }

  static Choice choose(Pod pod) {
    List<Container> containers = pod.getSpec() == null || pod.getSpec().getContainers() == null
        ? List.of() : pod.getSpec().getContainers();
    if (containers.isEmpty()) {
      return new Choice(List.of(), "the pod has no containers");
    }
    Map<String, String> annotations = pod.getMetadata() == null ? null : pod.getMetadata().getAnnotations();
    String listed = annotations == null ? null : annotations.get(Annotations.JAVA_CONTAINER_NAMES);
    String annotation = Annotations.JAVA_CONTAINER_NAMES;
    if (listed == null || listed.isBlank()) {
      listed = annotations == null ? null : annotations.get(Annotations.CONTAINER_NAMES);
      annotation = Annotations.CONTAINER_NAMES;
    }
    List<String> existing = containers.stream().map(Container::getName).toList();
    if (listed != null && !listed.isBlank()) {
      List<String> names = new ArrayList<>();
      for (String name : Arrays.stream(listed.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()) {
        if (!existing.contains(name)) {
          return new Choice(List.of(), annotation + ": no container named \"" + name + "\" (the pod has "
              + String.join(", ", existing) + ")");
        }
        if (!names.contains(name)) {
          names.add(name);
        }
      }
      return new Choice(names, null);
    }
    return existing.stream()
        .filter(name -> !KNOWN_SIDECARS.contains(name))
        .findFirst()
        .map(name -> new Choice(List.of(name), null))
        .orElseGet(() -> new Choice(List.of(), "every container is a known sidecar (" + String.join(", ", existing)
            + "); name the Java container in " + Annotations.CONTAINER_NAMES));
  }
}
