package dev.tracelight.collector.bench;

import com.google.gson.Gson;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/**
 * How collector-lite is shipped: the JVM flags of the image's ENTRYPOINT (collector-lite/Dockerfile) and the
 * DaemonSet's command and memory limit (deploy/collector-lite/base/daemonset.yaml). The benchmark starts the jar with
 * these, so what it measures is what users run; ShippedJvmFlagsTest checks that the places agree.
 */
public final class ShippedLauncher {
  private ShippedLauncher() {}

  /** The collector-lite module's directory (the working directory of the tests and of bench/run.sh). */
  public static Path module() {
    Path here = Path.of("").toAbsolutePath();
    return Files.exists(here.resolve("Dockerfile")) ? here : here.resolve("collector-lite");
  }

  /** The JVM flags between {@code java} and {@code -jar} in a Dockerfile's exec-form ENTRYPOINT. */
  public static List<String> imageJvmFlags(Path dockerfile) throws IOException {
    for (String line : Files.readAllLines(dockerfile)) {
      if (line.startsWith("ENTRYPOINT [")) {
        return jvmFlags(List.of(new Gson().fromJson(line.substring("ENTRYPOINT ".length()), String[].class)));
      }
    }
    throw new IllegalStateException(dockerfile + ": no exec-form ENTRYPOINT [...] line");
  }

  /** The DaemonSet container's command (java, flags, -jar, the jar). */
  public static List<String> daemonSetCommand() throws IOException {
    return container().get("command") instanceof List<?> command ? command.stream().map(String::valueOf).toList()
        : List.of();
  }

  /** The DaemonSet container's memory limit in bytes (a binary suffix: 512Mi). */
  @SuppressWarnings("unchecked")
  public static long daemonSetMemoryLimitBytes() throws IOException {
    Map<String, Object> resources = (Map<String, Object>) container().get("resources");
    String limit = String.valueOf(((Map<String, Object>) resources.get("limits")).get("memory"));
    long factor = limit.endsWith("Gi") ? 1L << 30 : limit.endsWith("Mi") ? 1L << 20 : limit.endsWith("Ki") ? 1L << 10 : 1;
    return Long.parseLong(limit.replaceAll("[KMG]i$", "")) * factor;
  }

  /** The flags between {@code java} and {@code -jar} of a command line. */
  public static List<String> jvmFlags(List<String> command) {
    int jar = command.indexOf("-jar");
    if (command.isEmpty() || !command.get(0).equals("java") || jar < 0) {
      throw new IllegalArgumentException("not a `java [flags] -jar ...` command: " + command);
    }
    return command.subList(1, jar);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> container() throws IOException {
    Path file = module().resolve("../deploy/collector-lite/base/daemonset.yaml").normalize();
    try (Reader in = Files.newBufferedReader(file)) {
      Map<String, Object> daemonSet = new Yaml().load(in);
      Map<String, Object> spec = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) daemonSet
          .get("spec")).get("template")).get("spec");
      return ((List<Map<String, Object>>) spec.get("containers")).get(0);
    }
  }
}
