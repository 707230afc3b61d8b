package dev.tracelight.injector.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracelight.injector.manifest.ManifestDocuments;
import org.junit.jupiter.api.Test;

class RestrictedProfileTest {

  @Test
  void admitsACompliantPod() {
    assertThat(RestrictedProfile.violations(ManifestDocuments.read("pod", """
        securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
        volumes: [{name: tmp, emptyDir: {}}]
        containers:
          - name: app
            securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
        """).get(0))).isEmpty();
  }

  @Test
  void namesEveryViolation() {
    assertThat(RestrictedProfile.violations(ManifestDocuments.read("pod", """
        hostNetwork: true
        securityContext: {runAsUser: 0}
        volumes: [{name: docker, hostPath: {path: /var/run/docker.sock}}]
        containers:
          - name: app
            ports: [{containerPort: 80, hostPort: 80}]
            securityContext: {privileged: true, capabilities: {add: [SYS_ADMIN]}}
        """).get(0))).containsExactly(
        "hostNetwork: true",
        "volume docker: type hostPath is not allowed",
        "pod: runAsUser 0",
        "container app: privileged",
        "container app: allowPrivilegeEscalation must be false",
        "container app: capabilities must drop ALL",
        "container app: capability SYS_ADMIN may not be added",
        "container app: runAsNonRoot must be true (pod or container)",
        "container app: seccompProfile must be RuntimeDefault or Localhost (pod or container)",
        "container app: hostPort 80");
  }
}
