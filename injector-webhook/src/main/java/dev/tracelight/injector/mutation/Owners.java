package dev.tracelight.injector.mutation;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;

/**
 * The names of the workloads that own a pod, as far as they are known. The webhook learns the second level
 * (ReplicaSet → Deployment, Job → CronJob) from the API; without it, the Deployment is taken from the ReplicaSet name
 * and the pod's {@code pod-template-hash} label, as Kubernetes builds it.
 *
 * @param controller a workload kind that is none of the built-in ones (e.g. an Argo Rollout owning the ReplicaSet)
 */
public record Owners(String replicaSet, String deployment, String statefulSet, String daemonSet, String job,
                     String cronJob, String controller) {

  public static Owners none() {
    return new Owners(null, null, null, null, null, null, null);
  }

  /** The owners a pod names itself (its controller reference), with the Deployment inferred from the hash label. */
  public static Owners fromPod(Pod pod) {
    Owners owners = none();
    if (pod.getMetadata() == null || pod.getMetadata().getOwnerReferences() == null) {
      return owners;
    }
    for (OwnerReference ref : pod.getMetadata().getOwnerReferences()) {
      // A static pod's mirror is "owned" by its Node, which is no workload.
      if (ref.getController() != null && !ref.getController() || "Node".equals(ref.getKind())) {
        continue;
      }
      owners = owners.with(ref.getKind(), ref.getName());
    }
    if (owners.replicaSet != null && owners.deployment == null) {
      Map<String, String> labels = pod.getMetadata().getLabels();
      String hash = labels == null ? null : labels.get("pod-template-hash");
      if (hash != null && owners.replicaSet.endsWith("-" + hash)) {
        owners = owners.with("Deployment",
            owners.replicaSet.substring(0, owners.replicaSet.length() - hash.length() - 1));
      }
    }
    return owners;
  }

  /** Adds an owner of the given kind; unknown kinds become the {@code controller}. */
  public Owners with(String kind, String name) {
    return switch (kind == null ? "" : kind) {
      case "ReplicaSet" -> new Owners(name, deployment, statefulSet, daemonSet, job, cronJob, controller);
      case "Deployment" -> new Owners(replicaSet, name, statefulSet, daemonSet, job, cronJob, controller);
      case "StatefulSet" -> new Owners(replicaSet, deployment, name, daemonSet, job, cronJob, controller);
      case "DaemonSet" -> new Owners(replicaSet, deployment, statefulSet, name, job, cronJob, controller);
      case "Job" -> new Owners(replicaSet, deployment, statefulSet, daemonSet, name, cronJob, controller);
      case "CronJob" -> new Owners(replicaSet, deployment, statefulSet, daemonSet, job, name, controller);
      default -> new Owners(replicaSet, deployment, statefulSet, daemonSet, job, cronJob, name);
    };
  }
}
