package dev.tracelight.initimage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The archive itself, read without Docker. */
class InitImageArchiveIT {
  static final Path ARCHIVE = Path.of(System.getProperty("init.image.tar", "target/init-image.tar"));
  static final Path AGENT_JAR = Path.of(System.getProperty("agent.jar", "../agent/target/javaagent.jar"));
  static final String IMAGE = System.getProperty("init.image.name", "tracelight/init-image:0.1.0-SNAPSHOT");

  private static ImageArchive image;

  @BeforeAll
  static void readArchive() throws Exception {
    assumeArchiveBuilt();
    image = ImageArchive.read(ARCHIVE);
  }

  /** The build skips the image, saying so, on a machine without busybox (see pom.xml, profile no-busybox). */
  static void assumeArchiveBuilt() {
    assumeTrue(Files.isRegularFile(ARCHIVE), () -> "skipped: " + ARCHIVE + " was not built (no /bin/busybox: "
        + "apt-get install -y busybox-static)");
  }

  @Test
  void carriesTheAgentJarByteForByteAndWorldReadable() throws Exception {
    ImageArchive.LayerFile jar = image.file("/javaagent.jar");
    assertThat(jar.content()).isEqualTo(Files.readAllBytes(AGENT_JAR));
    assertThat(jar.mode()).isEqualTo(0644);
  }

  @Test
  void isTaggedWithTheProjectVersionUnderTheInjectorsDefaultName() {
    assertThat(image.repoTags()).containsExactly(IMAGE);
    assertThat(IMAGE).isEqualTo("tracelight/init-image:0.1.0-SNAPSHOT");
  }

  @Test
  void runsAsANonRootUserByDefault() {
    String user = image.config().get("config").get("User").asText();
    assertThat(user).isEqualTo("65532:65532");
  }

  @Test
  void hasAStaticCpOnItsPath() {
    JsonNode config = image.config().get("config");
    assertThat(config.get("Env").toString()).contains("\"PATH=/bin\"");
    ImageArchive.LayerFile cp = image.file("/bin/cp");
    assertThat(cp.mode()).isEqualTo(0755);
    // An ELF binary (busybox-static): a scratch image has no dynamic loader or libc.
    assertThat(new String(cp.content(), 0, 4, java.nio.charset.StandardCharsets.ISO_8859_1)).isEqualTo("\u007fELF");
  }

  @Test
  void defaultEntrypointIsTheOperatorsCopyCommand() {
    List<String> entrypoint = new ArrayList<>();
    image.config().get("config").get("Entrypoint").forEach(a -> entrypoint.add(a.asText()));
    assertThat(entrypoint).containsExactly("cp", "/javaagent.jar", "/otel-auto-instrumentation-java/javaagent.jar");
  }

  @Test
  void isReproducibleNoBuildTimeOrHostOwnerInside() {
    assertThat(image.config().get("created").asText()).isEqualTo("1970-01-01T00:00:00Z");
    assertThat(image.files().values())
        .allSatisfy(f -> {
          assertThat(f.modifiedEpochSeconds()).as(f.path()).isLessThanOrEqualTo(1);
          assertThat(f.uid()).as(f.path()).isZero();
        });
  }
}
