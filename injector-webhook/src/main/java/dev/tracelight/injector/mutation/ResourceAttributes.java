package dev.tracelight.injector.mutation;

import dev.tracelight.injector.instrumentation.InstrumentationSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The OTEL_RESOURCE_ATTRIBUTES the operator sets for a container, in its precedence: derived k8s.* and service.*
 * attributes, overridden by spec.resource.resourceAttributes, overridden by the pod's
 * {@code resource.opentelemetry.io/*} annotations; keys the user already has in the variable are left to the user.
 * Keys are sorted so that the value is stable.
 */
final class ResourceAttributes {

  static final String POD_NAME_VAR = "OTEL_RESOURCE_ATTRIBUTES_POD_NAME";
  static final String POD_UID_VAR = "OTEL_RESOURCE_ATTRIBUTES_POD_UID";
  static final String NODE_NAME_VAR = "OTEL_RESOURCE_ATTRIBUTES_NODE_NAME";

  private ResourceAttributes() {
  }

  static Map<String, String> forContainer(Pod pod, String namespace, Owners owners, Container container,
                                          InstrumentationSpec spec) {
    Map<String, String> attributes = new TreeMap<>();
    attributes.put("k8s.namespace.name", namespace);
    attributes.put("k8s.container.name", container.getName());
    attributes.put("k8s.pod.name", "$(" + POD_NAME_VAR + ")");
    attributes.put("k8s.node.name", "$(" + NODE_NAME_VAR + ")");
    if (spec.resource() != null && spec.resource().addsUids()) {
      attributes.put("k8s.pod.uid", "$(" + POD_UID_VAR + ")");
    }
    putIfKnown(attributes, "k8s.replicaset.name", owners.replicaSet());
    putIfKnown(attributes, "k8s.deployment.name", owners.deployment());
    putIfKnown(attributes, "k8s.statefulset.name", owners.statefulSet());
    putIfKnown(attributes, "k8s.daemonset.name", owners.daemonSet());
    putIfKnown(attributes, "k8s.job.name", owners.job());
    putIfKnown(attributes, "k8s.cronjob.name", owners.cronJob());
    attributes.put("service.instance.id", namespace + ".$(" + POD_NAME_VAR + ")." + container.getName());
    attributes.put("service.namespace", namespace);
    boolean useLabels = spec.defaults() != null && spec.defaults().usesLabels();
    Map<String, String> labels = pod.getMetadata().getLabels();
    String version = useLabels && labels != null ? labels.get("app.kubernetes.io/version") : null;
    putIfKnown(attributes, "service.version", version != null ? version : imageTag(container.getImage()));
    if (spec.resource() != null) {
      attributes.putAll(spec.resource().resourceAttributes());
    }
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    if (annotations != null) {
      annotations.forEach((key, value) -> {
        if (key.startsWith(Annotations.RESOURCE_PREFIX)) {
          attributes.put(key.substring(Annotations.RESOURCE_PREFIX.length()), value);
        }
      });
    }
    // The service name has its own variable, OTEL_SERVICE_NAME.
    attributes.remove("service.name");
    return attributes;
  }

  /** Appends the attributes whose keys the existing value does not have yet. */
  static String merge(String existing, Map<String, String> attributes) {
    Set<String> existingKeys = new LinkedHashSet<>();
    if (existing != null) {
      for (String pair : existing.split(",")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          existingKeys.add(pair.substring(0, eq).trim());
        }
      }
    }
    StringBuilder value = new StringBuilder(existing == null ? "" : existing.trim());
    attributes.forEach((key, attribute) -> {
      if (!existingKeys.contains(key)) {
        if (!value.isEmpty() && value.charAt(value.length() - 1) != ',') {
          value.append(',');
        }
        value.append(key).append('=').append(attribute);
      }
    });
    return value.toString();
  }

  /** The tag of an image reference ("repo:5000/app:1.2@sha256:…" → "1.2"), or null. */
  static String imageTag(String image) {
    if (image == null) {
      return null;
    }
    String reference = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
    int colon = reference.lastIndexOf(':');
    if (colon < 0 || colon < reference.lastIndexOf('/')) {
      return null;
    }
    return reference.substring(colon + 1);
  }

  private static void putIfKnown(Map<String, String> attributes, String key, String value) {
    if (value != null && !value.isBlank()) {
      attributes.put(key, value);
    }
  }
}
