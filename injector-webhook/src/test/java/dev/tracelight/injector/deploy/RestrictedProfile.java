package dev.tracelight.injector.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The Kubernetes "restricted" Pod Security Standard (baseline included), checked on a pod spec as the admission
 * controller would: returns one line per violation, empty when the pod is admitted.
 */
final class RestrictedProfile {

  private static final Set<String> ALLOWED_VOLUMES = Set.of("configMap", "csi", "downwardAPI", "emptyDir",
      "ephemeral", "persistentVolumeClaim", "projected", "secret");
  private static final Set<String> SAFE_SYSCTLS = Set.of("kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range",
      "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range",
      "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
      "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes");

  private RestrictedProfile() {
  }

  static List<String> violations(JsonNode podSpec) {
    List<String> violations = new ArrayList<>();
    for (String host : List.of("hostNetwork", "hostPID", "hostIPC")) {
      if (podSpec.path(host).asBoolean(false)) {
        violations.add(host + ": true");
      }
    }
    for (JsonNode volume : podSpec.path("volumes")) {
      for (String type : volume.propertyNames()) {
        if (!type.equals("name") && !ALLOWED_VOLUMES.contains(type)) {
          violations.add("volume " + volume.path("name").asString() + ": type " + type + " is not allowed");
        }
      }
    }
    JsonNode podContext = podSpec.path("securityContext");
    for (JsonNode sysctl : podContext.path("sysctls")) {
      if (!SAFE_SYSCTLS.contains(sysctl.path("name").asString())) {
        violations.add("sysctl " + sysctl.path("name").asString() + " is not allowed");
      }
    }
    checkIdentity("pod", podContext, violations);
    List<JsonNode> containers = new ArrayList<>();
    for (String list : List.of("initContainers", "containers", "ephemeralContainers")) {
      podSpec.path(list).forEach(containers::add);
    }
    for (JsonNode container : containers) {
      String where = "container " + container.path("name").asString();
      JsonNode context = container.path("securityContext");
      if (context.path("privileged").asBoolean(false)) {
        violations.add(where + ": privileged");
      }
      if (context.path("allowPrivilegeEscalation").asBoolean(true)) {
        violations.add(where + ": allowPrivilegeEscalation must be false");
      }
      List<String> drop = new ArrayList<>();
      context.path("capabilities").path("drop").forEach(c -> drop.add(c.asString()));
      if (!drop.contains("ALL")) {
        violations.add(where + ": capabilities must drop ALL");
      }
      context.path("capabilities").path("add").forEach(c -> {
        if (!c.asString().equals("NET_BIND_SERVICE")) {
          violations.add(where + ": capability " + c.asString() + " may not be added");
        }
      });
      if (!context.path("runAsNonRoot").asBoolean(podContext.path("runAsNonRoot").asBoolean(false))) {
        violations.add(where + ": runAsNonRoot must be true (pod or container)");
      }
      String seccomp = context.path("seccompProfile").path("type")
          .asString(podContext.path("seccompProfile").path("type").asString(""));
      if (!seccomp.equals("RuntimeDefault") && !seccomp.equals("Localhost")) {
        violations.add(where + ": seccompProfile must be RuntimeDefault or Localhost (pod or container)");
      }
      checkIdentity(where, context, violations);
      for (JsonNode port : container.path("ports")) {
        if (port.path("hostPort").asInt(0) != 0) {
          violations.add(where + ": hostPort " + port.path("hostPort").asInt());
        }
      }
      if (!context.path("procMount").asString("Default").equals("Default")) {
        violations.add(where + ": procMount must be Default");
      }
    }
    return violations;
  }

  private static void checkIdentity(String where, JsonNode context, List<String> violations) {
    if (context.has("runAsUser") && context.path("runAsUser").asLong() == 0) {
      violations.add(where + ": runAsUser 0");
    }
    String selinuxType = context.path("seLinuxOptions").path("type").asString("");
    if (!selinuxType.isEmpty() && !Set.of("container_t", "container_init_t", "container_kvm_t", "container_engine_t")
        .contains(selinuxType)) {
      violations.add(where + ": seLinuxOptions.type " + selinuxType);
    }
    String appArmor = context.path("appArmorProfile").path("type").asString("");
    if (appArmor.equals("Unconfined")) {
      violations.add(where + ": appArmorProfile Unconfined");
    }
  }
}
