package dev.tracelight.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Runs bench/smoke.sh (every benchmark path with tiny counts) so that the scripts keep working. It checks that each
 * table is printed whole, with a figure in every column of every row; it never judges the figures (no timing
 * assertions: they belong to the benchmark runs in bench/README.md).
 */
class BenchSmokeIT {
  private static final Path REPO = Path.of("").toAbsolutePath().getParent();
  private static final List<String> VARIANTS = List.of("none", "tracelight", "official");

  @Test
  void smokeRunPrintsEveryTableWithAllThreeColumns() throws Exception {
    String out = runSmoke();

    assertThat(out).contains("### start-up: JDK HttpServer app", "### memory: JDK HttpServer app", "### jar size",
        "### steady state: JDK HttpServer app (bench/app/BenchHello, `GET /hello` → java.net.http + HttpURLConnection"
            + " → itself), 300 requests, sequential",
        "300 requests, 8 concurrent clients", "### collector-lite start-up to healthy");
    for (String variant : VARIANTS) {
      // start-up: wall, CPU, peak RSS
      assertThat(out).containsPattern("(?m)^\\| " + variant + " \\| \\d+ \\| \\d+ \\| \\d+ \\|$");
      // memory: peak RSS, RSS after the GC, heap, Metaspace, classes
      assertThat(out).containsPattern(
          "(?m)^\\| " + variant + " \\| \\d+ \\| \\d+ \\| [\\d.]+ \\| [\\d.]+ \\| \\d+ \\|$");
      // steady: throughput (range), p50, p99, CPU per request, and no failed request
      assertThat(count(out, "(?m)^\\| " + variant + " \\| \\d+ \\(\\d+–\\d+\\) \\| [\\d.]+ \\| [\\d.]+ \\| \\d+ \\| 0 \\|$"))
          .as("steady-state rows of %s without errors", variant).isEqualTo(2);
    }
    assertThat(count(out, "tracelight's overhead is -?\\d+% of the official agent's")).isEqualTo(8);
    assertThat(out).containsPattern("\\| tracelight-javaagent.jar \\| [\\d,]+ \\|")
        .containsPattern("\\| opentelemetry-javaagent.jar \\| [\\d,]+ \\|")
        .containsPattern("(?m)^\\| \\d+ \\| \\d+ \\| \\d+ \\|$");
  }

  private static String runSmoke() throws IOException, InterruptedException {
    Path log = Files.createTempFile("bench-smoke", ".log");
    ProcessBuilder pb = new ProcessBuilder("bash", "bench/smoke.sh").directory(REPO.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    Process p = pb.start();
    try {
      boolean finished = p.waitFor(10, TimeUnit.MINUTES);
      String out = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(finished).as("smoke.sh finished within 10 minutes; output so far:%n%s", out).isTrue();
      assertThat(p.exitValue()).as("smoke.sh exit status; output:%n%s", out).isZero();
      return out;
    } finally {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor();
      Files.deleteIfExists(log);
    }
  }

  private static int count(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}
