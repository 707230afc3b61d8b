package dev.tracelight.injector.mutation;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;
import java.util.stream.Stream;

/**
 * OTEL_SERVICE_NAME as the operator derives it: the {@code resource.opentelemetry.io/service.name} annotation, the
 * {@code app.kubernetes.io/instance|name} labels (when the Instrumentation asks for labels), then the owning workload —
 * Deployment, another controller of the ReplicaSet (e.g. an Argo Rollout), ReplicaSet, StatefulSet, DaemonSet, CronJob,
 * Job — then the pod name, then the container name.
 */
final class ServiceNameResolver {

  private ServiceNameResolver() {
  }

  static String resolve(Pod pod, Owners owners, String containerName, boolean useLabels) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    Map<String, String> labels = pod.getMetadata().getLabels();
    String fromLabels = useLabels && labels != null
        ? first(labels.get("app.kubernetes.io/instance"), labels.get("app.kubernetes.io/name")) : null;
    return first(
        annotations == null ? null : annotations.get(Annotations.RESOURCE_PREFIX + "service.name"),
        fromLabels,
        owners.deployment(),
        owners.controller(),
        owners.replicaSet(),
        owners.statefulSet(),
        owners.daemonSet(),
        owners.cronJob(),
        owners.job(),
        pod.getMetadata().getName(),
        containerName);
  }

  private static String first(String... candidates) {
    return Stream.of(candidates).filter(s -> s != null && !s.isBlank()).findFirst().orElse(null);
  }
}
