package dev.tracelight.agent.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.resources.Resource;
import org.junit.jupiter.api.Test;

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
  void usesTheSemanticConventionsSpellingOfArchitecturesAndOperatingSystems() {
    assertThat(AgentResource.hostArch("x86_64")).isEqualTo("amd64");
    assertThat(AgentResource.hostArch("aarch64")).isEqualTo("arm64");
    assertThat(AgentResource.osType("Linux")).isEqualTo("linux");
    assertThat(AgentResource.osType("Mac OS X")).isEqualTo("darwin");
    assertThat(AgentResource.osType("Windows 11")).isEqualTo("windows");
  }
}
