package dev.tracelight.agent.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ContainerIdTest {
  private static final String ID = "a3b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1";

  @Test
  void readsDockerCgroupV1() {
    assertThat(ContainerId.fromCgroup(List.of("12:memory:/docker/" + ID, "0::/"))).isEqualTo(ID);
  }

  @Test
  void readsKubernetesSystemdScopes() {
    assertThat(ContainerId.fromCgroup(List.of(
        "1:name=systemd:/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1.slice/cri-containerd-"
            + ID + ".scope"))).isEqualTo(ID);
    assertThat(ContainerId.fromCgroup(List.of("0::/system.slice/docker-" + ID + ".scope"))).isEqualTo(ID);
    assertThat(ContainerId.fromCgroup(List.of("5:cpuset:/kubepods/besteffort/pod7/" + ID))).isEqualTo(ID);
  }

  @Test
  void readsCgroupV2FromTheContainersOwnMounts() {
    List<String> mountinfo = List.of(
        "600 590 0:50 / / rw,relatime - overlay overlay rw",
        "610 600 254:1 /var/lib/containerd/io.containerd.grpc.v1.cri/sandboxes/"
            + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff/hostname /etc/hostname rw - ext4 rw",
        "611 600 254:1 /var/lib/docker/containers/" + ID + "/resolv.conf /etc/resolv.conf rw - ext4 rw");
    assertThat(ContainerId.of(List.of("0::/"), mountinfo)).isEqualTo(ID);
  }

  @Test
  void findsNothingOutsideAContainer() {
    assertThat(ContainerId.of(List.of("0::/user.slice/user-1000.slice/session-2.scope"),
        List.of("22 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw"))).isNull();
    assertThat(ContainerId.of(List.of(), List.of())).isNull();
  }
}
