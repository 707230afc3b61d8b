package dev.tracelight.agent.sdk;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.resources.Resource;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * What the agent knows about the process it runs in: instance id, process, runtime, host, OS, container id, and this
 * distribution.
 * Written here rather than taken from opentelemetry-resources, which would bring the incubating semconv jar along.
 */
final class AgentResource {
  static final AttributeKey<String> DISTRO_NAME = AttributeKey.stringKey("telemetry.distro.name");
  static final AttributeKey<String> DISTRO_VERSION = AttributeKey.stringKey("telemetry.distro.version");
  static final AttributeKey<Long> PROCESS_PID = AttributeKey.longKey("process.pid");
  static final AttributeKey<String> PROCESS_EXECUTABLE_PATH = AttributeKey.stringKey("process.executable.path");
  static final AttributeKey<String> PROCESS_RUNTIME_NAME = AttributeKey.stringKey("process.runtime.name");
  static final AttributeKey<String> PROCESS_RUNTIME_VERSION = AttributeKey.stringKey("process.runtime.version");
  static final AttributeKey<String> PROCESS_RUNTIME_DESCRIPTION =
      AttributeKey.stringKey("process.runtime.description");
  static final AttributeKey<String> HOST_NAME = AttributeKey.stringKey("host.name");
  static final AttributeKey<String> HOST_ARCH = AttributeKey.stringKey("host.arch");
  static final AttributeKey<String> OS_TYPE = AttributeKey.stringKey("os.type");
  static final AttributeKey<String> OS_DESCRIPTION = AttributeKey.stringKey("os.description");
  static final AttributeKey<String> CONTAINER_ID = AttributeKey.stringKey("container.id");
  static final AttributeKey<String> SERVICE_INSTANCE_ID = AttributeKey.stringKey("service.instance.id");

  private AgentResource() {}

  static Resource detect(String agentVersion) {
    AttributesBuilder attributes = Attributes.builder()
        .put(SERVICE_INSTANCE_ID, randomUuid(Paths.get("/dev/urandom")).toString())
        .put(DISTRO_NAME, "tracelight")
        .put(DISTRO_VERSION, agentVersion)
        .put(PROCESS_PID, ProcessHandle.current().pid())
        .put(PROCESS_EXECUTABLE_PATH, System.getProperty("java.home") + File.separator + "bin" + File.separator
            + "java")
        .put(PROCESS_RUNTIME_NAME, System.getProperty("java.runtime.name"))
        .put(PROCESS_RUNTIME_VERSION, System.getProperty("java.runtime.version"))
        .put(PROCESS_RUNTIME_DESCRIPTION, System.getProperty("java.vm.vendor") + " "
            + System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"))
        .put(HOST_ARCH, hostArch(System.getProperty("os.arch")))
        .put(OS_TYPE, osType(System.getProperty("os.name")))
        .put(OS_DESCRIPTION, System.getProperty("os.name") + " " + System.getProperty("os.version"));
    String hostName = hostName();
    if (hostName != null) {
      attributes.put(HOST_NAME, hostName);
    }
    String containerId = ContainerId.of(readLines(Paths.get("/proc/self/cgroup")),
        readLines(Paths.get("/proc/self/mountinfo")));
    if (containerId != null) {
      attributes.put(CONTAINER_ID, containerId);
    }
    return Resource.create(attributes.build());
  }

  /**
   * A version 4 UUID from the kernel's random source, as the SDK's own provider (left out of the agent jar) draws one
   * for {@code service.instance.id}, but without setting up {@code SecureRandom}: ~35 ms of start-up, spent even where
   * the injector sets the attribute. {@link UUID#randomUUID} where there is no {@code /dev/urandom}.
   */
  static UUID randomUuid(Path randomSource) {
    byte[] random = new byte[16];
    try (InputStream in = Files.newInputStream(randomSource)) {
      if (in.readNBytes(random, 0, 16) < 16) {
        return UUID.randomUUID();
      }
    } catch (IOException | RuntimeException e) {
      return UUID.randomUUID();
    }
    ByteBuffer bytes = ByteBuffer.wrap(random);
    long high = (bytes.getLong() & ~0xF000L) | 0x4000L; // version 4
    long low = (bytes.getLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
    return new UUID(high, low);
  }

  static String hostArch(String osArch) {
    switch (osArch == null ? "" : osArch) {
      case "x86_64":
      case "amd64":
        return "amd64";
      case "aarch64":
      case "arm64":
        return "arm64";
      case "x86":
      case "i386":
        return "x86";
      default:
        return osArch;
    }
  }

  static String osType(String osName) {
    String name = osName == null ? "" : osName.toLowerCase(Locale.ROOT);
    if (name.startsWith("windows")) {
      return "windows";
    }
    if (name.startsWith("mac")) {
      return "darwin";
    }
    return name.replace(" ", "");
  }

  /** Never a DNS lookup at start-up: the kernel's name is what Kubernetes sets to the pod name. */
  private static String hostName() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isEmpty()) {
      return env;
    }
    List<String> lines = readLines(Paths.get("/proc/sys/kernel/hostname"));
    return lines.isEmpty() ? null : lines.get(0).trim();
  }

  private static List<String> readLines(Path path) {
    try {
      return Files.readAllLines(path);
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }
}
