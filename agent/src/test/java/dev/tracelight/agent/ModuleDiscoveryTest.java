package dev.tracelight.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModuleDiscoveryTest {
  @Test
  void findsEveryModuleByServiceLoaderUnderItsConfigurationName() {
    List<InstrumentationModule> modules = InstrumentationInstaller.discover(getClass().getClassLoader());
    assertThat(modules).extracting(InstrumentationModule::name)
        .containsExactly("java-http-server", "java-http-client", "http-url-connection", "executors", "jdbc", "jedis",
            "lettuce", "logback-mdc", "logback-appender", "log4j-context-data", "log4j-appender", "java-util-logging",
            "runtime-telemetry", "servlet", "servlet", "spring-webmvc", "spring-webmvc", "apache-httpclient-5",
            "spring-webflux", "opentelemetry-instrumentation-annotations", "okhttp", "apache-httpclient-4",
            "opentelemetry-api", "reactor", "reactor-netty");
    // runtime-telemetry weaves nothing: it only registers metric instruments
    assertThat(modules).filteredOn(module -> !module.name().equals("runtime-telemetry"))
        .allSatisfy(module -> assertThat(module.typeInstrumentations()).isNotEmpty());
  }
}
