package dev.tracelight.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracelight.collector.bench.ShippedLauncher;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The image, the DaemonSet and the README start the collector with the same JVM flags (issue 9: the footprint figures
 * hold for the way users run it, so the flags are part of the product, and the benchmark reads them from the image).
 */
class ShippedJvmFlagsTest {
  @Test
  void imageDaemonSetAndReadmeRunTheJarWithTheSameJvmFlags() throws Exception {
    List<String> image = ShippedLauncher.imageJvmFlags(ShippedLauncher.module().resolve("Dockerfile"));
    List<String> daemonSet = ShippedLauncher.jvmFlags(ShippedLauncher.daemonSetCommand());
    String readme = Files.readString(ShippedLauncher.module().resolve("README.md"));

    assertThat(image).contains("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:MaxRAMPercentage=50");
    assertThat(daemonSet).isEqualTo(image);
    assertThat(readme).contains("java " + String.join(" ", image) + " -jar collector-lite.jar");
  }
}
