package dev.tracelight.initimage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image run for real, as a kubelet runs an init container: the emptyDir is a host directory of mode 0777 mounted
 * at /otel-auto-instrumentation-java. Skipped, saying why, when no Docker engine answers.
 */
class InitImageDockerIT {
  private static final String IMAGE = InitImageArchiveIT.IMAGE;
  private static final String MOUNT = "/otel-auto-instrumentation-java";

  @TempDir Path emptyDir;

  @BeforeAll
  static void loadImage() throws Exception {
    InitImageArchiveIT.assumeArchiveBuilt();
    String reason = DockerCli.unavailableReason();
    assumeTrue(reason == null, () -> "skipped: needs a Docker engine (" + reason + ")");
    DockerCli.ok("load", "-i", InitImageArchiveIT.ARCHIVE.toString());
  }

  @Test
  void operatorsCopyCommandSucceedsAsTheImagesNonRootUser() throws Exception {
    DockerCli.ok("run", "--rm", "-v", volume(), "--entrypoint", "cp", IMAGE,
        "/javaagent.jar", MOUNT + "/javaagent.jar");

    assertThat(Files.readAllBytes(emptyDir.resolve("javaagent.jar")))
        .isEqualTo(Files.readAllBytes(InitImageArchiveIT.AGENT_JAR));
  }

  @Test
  void defaultEntrypointCopiesTheAgentWithoutACommand() throws Exception {
    DockerCli.ok("run", "--rm", "-v", volume(), IMAGE);

    assertThat(Files.readAllBytes(emptyDir.resolve("javaagent.jar")))
        .isEqualTo(Files.readAllBytes(InitImageArchiveIT.AGENT_JAR));
  }

  @Test
  void copyRunsAsUid65532ByDefault() throws Exception {
    DockerCli.ok("run", "--rm", "-v", volume(), "--entrypoint", "cp", IMAGE, "/proc/self/status", MOUNT + "/status");

    assertThat(Files.readAllLines(emptyDir.resolve("status")))
        .filteredOn(line -> line.startsWith("Uid:"))
        .singleElement()
        .satisfies(line -> assertThat(line.split("\\s+")).containsExactly("Uid:", "65532", "65532", "65532", "65532"));
  }

  /**
   * The injector copies the app container's securityContext to the init container: another user, read-only root file
   * system, no capabilities, no privilege escalation (the restricted profile) — the copy still works.
   */
  @Test
  void injectorsCopyCommandSucceedsUnderARestrictedSecurityContext() throws Exception {
    DockerCli.ok("run", "--rm", "-v", volume(), "--user", "1000:3000", "--read-only", "--cap-drop", "ALL",
        "--security-opt", "no-new-privileges", "--entrypoint", "cp", IMAGE,
        "/javaagent.jar", MOUNT + "/javaagent.jar");

    Path copied = emptyDir.resolve("javaagent.jar");
    assertThat(Files.readAllBytes(copied)).isEqualTo(Files.readAllBytes(InitImageArchiveIT.AGENT_JAR));
    assertThat(Files.getAttribute(copied, "unix:uid")).isEqualTo(1000);
  }

  private String volume() throws Exception {
    // What the kubelet makes for an emptyDir: a directory anyone may write to.
    Files.setPosixFilePermissions(emptyDir, PosixFilePermissions.fromString("rwxrwxrwx"));
    return emptyDir + ":" + MOUNT;
  }
}
