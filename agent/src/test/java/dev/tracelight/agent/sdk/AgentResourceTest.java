package dev.tracelight.agent.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.resources.Resource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentResourceTest {
  @Test
  void namesThisDistributionAndTheProcess() {
    Resource resource = AgentResource.detect("1.2.3");
    assertThat(resource.getAttribute(AgentResource.DISTRO_NAME)).isEqualTo("tracelight");
    assertThat(resource.getAttribute(AgentResource.DISTRO_VERSION)).isEqualTo("1.2.3");
    assertThat(resource.getAttribute(AgentResource.PROCESS_PID)).isEqualTo(ProcessHandle.current().pid());
    assertThat(resource.getAttribute(AgentResource.PROCESS_RUNTIME_VERSION))
        .isEqualTo(System.getProperty("java.runtime.version"));
  }

  @Test
  void givesEveryProcessItsOwnRandomVersion4InstanceId() {
    String first = AgentResource.detect("1.2.3").getAttribute(AgentResource.SERVICE_INSTANCE_ID);
    String second = AgentResource.detect("1.2.3").getAttribute(AgentResource.SERVICE_INSTANCE_ID);
    assertThat(first).isNotEqualTo(second);
    Set<UUID> drawn = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      UUID id = AgentResource.randomUuid(Path.of("/dev/urandom"));
      assertThat(id.version()).isEqualTo(4);
      assertThat(id.variant()).isEqualTo(2);
      drawn.add(id);
    }
    assertThat(drawn).hasSize(1000);
    assertThat(UUID.fromString(first).version()).isEqualTo(4);
  }

  @Test
  void fallsBackToTheJdksRandomUuidWithoutAKernelRandomSource(@TempDir Path dir) throws Exception {
    assertThat(AgentResource.randomUuid(dir.resolve("absent")).version()).isEqualTo(4);
    Path tooShort = Files.write(dir.resolve("short"), new byte[] {1, 2, 3});
    UUID first = AgentResource.randomUuid(tooShort);
    assertThat(first.version()).isEqualTo(4);
    // random, not made of the three bytes the source had and zeros
    assertThat(AgentResource.randomUuid(tooShort)).isNotEqualTo(first);
  }

  @Test
  void usesTheSemanticConventionsSpellingOfArchitecturesAndOperatingSystems() {
    assertThat(AgentResource.hostArch("x86_64")).isEqualTo("amd64");
    assertThat(AgentResource.hostArch("aarch64")).isEqualTo("arm64");
    assertThat(AgentResource.osType("Linux")).isEqualTo("linux");
    assertThat(AgentResource.osType("Mac OS X")).isEqualTo("darwin");
    assertThat(AgentResource.osType("Windows 11")).isEqualTo("windows");
  }
}
