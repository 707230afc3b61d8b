package dev.tracelight.samples.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code samples/demo.sh --once}, run as a user runs it (on the jars this build made, on free ports): it exits 0 and its
 * trees show one trace per request across both services, the database and Redis.
 */
class DemoScriptIT {
  private static final Path ROOT = Path.of(System.getProperty("user.dir")).resolve("../..").normalize();
  private static final List<String> PORT_VARIABLES = List.of("DEMO_TEST_PORT", "DEMO_TEST1_PORT", "DEMO_REDIS_PORT",
      "DEMO_TRACEVIEW_PORT", "DEMO_OTLP_HTTP_PORT", "DEMO_OTLP_GRPC_PORT", "DEMO_HEALTH_PORT");

  @TempDir Path work;

  @Test
  void onceTracesEachRequestAcrossBothServicesRedisAndTheDatabase() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/redis-server")),
        "skipped: needs Debian's redis-server (apt-get install redis-server) for the cache hop");

    List<List<String>> traces = traces(runDemo());

    assertThat(traces).containsExactly(
        // /users/1, a miss: Redis GET, then test1 and its query, then the cache is filled.
        List.of("GET /users/{id} -> 200   [test SERVER]",
            "  GET   [test CLIENT redis]",
            "  GET -> 200   [test CLIENT]",
            "    GET /users/{id} -> 200   [test1 SERVER]",
            "      SELECT users   [test1 CLIENT h2database]",
            "  SETEX   [test CLIENT redis]"),
        // /users/1 again: a hit.
        List.of("GET /users/{id} -> 200   [test SERVER]",
            "  GET   [test CLIENT redis]"),
        List.of("GET /users/{id} -> 200   [test SERVER]",
            "  GET   [test CLIENT redis]",
            "  GET -> 200   [test CLIENT]",
            "    GET /users/{id} -> 200   [test1 SERVER]",
            "      SELECT users   [test1 CLIENT h2database]",
            "  SETEX   [test CLIENT redis]"),
        // /users/99: test1's 404 passes through; nothing is cached.
        List.of("GET /users/{id} -> 404   [test SERVER]",
            "  GET   [test CLIENT redis]",
            "  GET -> 404 (error)   [test CLIENT]",
            "    GET /users/{id} -> 404   [test1 SERVER]",
            "      SELECT users   [test1 CLIENT h2database]"));
  }

  @Test
  void onceWithoutRedisTracesBothServicesAndTheDatabase() throws Exception {
    String output = runDemo("--no-redis");

    assertThat(output).contains("--no-redis: service test runs without its cache");
    List<String> miss = List.of("GET /users/{id} -> 200   [test SERVER]",
        "  GET -> 200   [test CLIENT]",
        "    GET /users/{id} -> 200   [test1 SERVER]",
        "      SELECT users   [test1 CLIENT h2database]");
    assertThat(traces(output)).containsExactly(miss, miss, miss,
        List.of("GET /users/{id} -> 404   [test SERVER]",
            "  GET -> 404 (error)   [test CLIENT]",
            "    GET /users/{id} -> 404   [test1 SERVER]",
            "      SELECT users   [test1 CLIENT h2database]"));
  }

  private String runDemo(String... options) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", ROOT.resolve("samples/demo.sh").toString(), "--once",
        "--no-build"));
    command.addAll(List.of(options));
    ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
        .redirectOutput(work.resolve("demo.out").toFile());
    Map<String, String> env = builder.environment();
    List<Integer> ports = new ArrayList<>();
    for (String variable : PORT_VARIABLES) {
      ports.add(freePort());
      env.put(variable, String.valueOf(ports.get(ports.size() - 1)));
    }
    env.keySet().removeIf(name -> name.startsWith("OTEL_"));
    Process demo = builder.start();
    try {
      boolean exited = demo.waitFor(180, TimeUnit.SECONDS);
      String output = Files.readString(work.resolve("demo.out"));
      assertThat(exited).as("demo.sh finished within 180 s; output:%n%s", output).isTrue();
      assertThat(demo.exitValue()).as("exit status; output:%n%s", output).isZero();
      // Everything it started is gone: nothing listens on its ports any more.
      assertThat(ports).allSatisfy(port -> assertThat(listening(port)).as("port %d after exit", port).isFalse());
      return output;
    } finally {
      // demo.sh stops what it started on exit; this is for a demo that hung.
      demo.descendants().forEach(ProcessHandle::destroy);
      demo.destroy();
      demo.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** The printed trees, durations removed: one list of lines per trace, in the order printed. */
  private static List<List<String>> traces(String output) {
    List<List<String>> traces = new ArrayList<>();
    for (String line : output.split("\n")) {
      if (line.startsWith("trace ")) {
        traces.add(new ArrayList<>());
      } else if (line.startsWith("  ") && !traces.isEmpty() && line.endsWith(" ms]")) {
        traces.get(traces.size() - 1).add(line.substring(2).replaceAll(", [0-9.]+ ms]$", "]"));
      }
    }
    return traces;
  }

  private static boolean listening(int port) {
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException refused) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
