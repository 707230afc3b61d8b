package dev.tracelight.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvExpansionTest {
  private static final Map<String, String> DEFINED = Map.of("POD", "test-7c9d8-q2x4z", "NODE", "node-1");

  @Test
  void replacesReferencesToDefinedVariables() {
    assertThat(EnvExpansion.expand("k8s.pod.name=$(POD),k8s.node.name=$(NODE)", DEFINED))
        .isEqualTo("k8s.pod.name=test-7c9d8-q2x4z,k8s.node.name=node-1");
  }

  @Test
  void keepsReferencesToUnknownVariablesAsWritten() {
    assertThat(EnvExpansion.expand("a=$(MISSING),b=$(POD)", DEFINED)).isEqualTo("a=$(MISSING),b=test-7c9d8-q2x4z");
  }

  @Test
  void doubleDollarEscapesAReference() {
    assertThat(EnvExpansion.expand("$$(POD) costs $$5", DEFINED)).isEqualTo("$(POD) costs $5");
  }

  @Test
  void leavesLoneDollarsAndUnclosedReferencesAlone() {
    assertThat(EnvExpansion.expand("$HOME $(POD $", DEFINED)).isEqualTo("$HOME $(POD $");
  }
}
