package dev.tracelight.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModuleDiscoveryTest {
  @Test
  void findsEveryModuleByServiceLoaderUnderItsConfigurationName() {
    List<InstrumentationModule> modules = InstrumentationInstaller.discover(getClass().getClassLoader());
    assertThat(modules).extracting(InstrumentationModule::name)
        .containsExactly("java-http-server", "java-http-client", "http-url-connection", "executors");
    assertThat(modules).allSatisfy(module -> assertThat(module.typeInstrumentations()).isNotEmpty());
  }
}
