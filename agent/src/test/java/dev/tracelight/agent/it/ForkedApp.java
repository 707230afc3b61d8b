package dev.tracelight.agent.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a JVM (the test app, or a JDK tool) in its own process, waits for it, and always stops it. */
final class ForkedApp {
  static final Path AGENT_JAR = Path.of(System.getProperty("tracelight.agent.jar", "target/javaagent.jar"));
  static final Path TEST_CLASSES = Path.of(System.getProperty("tracelight.test.classes", "target/test-classes"));
  static final Path TEMURIN_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
  private static final long TIMEOUT_SECONDS = 60;

  private Path javaHome = Path.of(System.getProperty("java.home"));
  private final Map<String, String> env = new LinkedHashMap<>();
  private final List<String> command = new ArrayList<>();
  private boolean agent = true;

  static ForkedApp helloApp(String mode) {
    ForkedApp app = new ForkedApp();
    app.command.addAll(List.of("-cp", TEST_CLASSES.toString(), "dev.tracelight.agent.it.app.HelloApp", mode));
    return app;
  }

  /** Any main class of the test sources, with extra class-path entries before them. */
  static ForkedApp testMain(String mainClass, List<Path> extraClassPath, String... args) {
    ForkedApp app = new ForkedApp();
    StringBuilder classPath = new StringBuilder(TEST_CLASSES.toString());
    extraClassPath.forEach(entry -> classPath.append(java.io.File.pathSeparator).append(entry));
    app.command.addAll(List.of("-cp", classPath.toString(), mainClass));
    app.command.addAll(List.of(args));
    return app;
  }

  /** A JDK tool from {@code javaHome/bin}, with no -javaagent of its own. */
  static ForkedApp jdkTool(String tool, String... args) {
    ForkedApp app = new ForkedApp();
    app.agent = false;
    app.command.add("@tool:" + tool);
    app.command.addAll(List.of(args));
    return app;
  }

  ForkedApp javaHome(Path home) {
    this.javaHome = home;
    return this;
  }

  ForkedApp withoutAgent() {
    this.agent = false;
    return this;
  }

  /** A system property for the forked application's JVM. */
  ForkedApp systemProperty(String name, String value) {
    command.add(0, "-D" + name + "=" + value);
    return this;
  }

  ForkedApp env(String name, String value) {
    env.put(name, value);
    return this;
  }

  ForkedApp withoutEnv(String name) {
    env.remove(name);
    return this;
  }

  /** Exports to {@code receiver} quickly; metrics and logs off so only traces travel. */
  ForkedApp exportingTo(OtlpReceiver receiver) {
    return env("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint())
        .env("OTEL_EXPORTER_OTLP_PROTOCOL", receiver.protocol())
        .env("OTEL_METRICS_EXPORTER", "none")
        .env("OTEL_LOGS_EXPORTER", "none")
        .env("OTEL_BSP_SCHEDULE_DELAY", "100");
  }

  Result run() throws IOException, InterruptedException {
    List<String> full = new ArrayList<>();
    if (command.get(0).startsWith("@tool:")) {
      full.add(javaHome.resolve("bin").resolve(command.get(0).substring("@tool:".length())).toString());
      full.addAll(command.subList(1, command.size()));
    } else {
      full.add(javaHome.resolve("bin/java").toString());
      if (agent) {
        full.add("-javaagent:" + AGENT_JAR.toAbsolutePath());
      }
      full.addAll(command);
    }
    Path out = Files.createTempFile("forked-app", ".out");
    Path err = Files.createTempFile("forked-app", ".err");
    ProcessBuilder builder = new ProcessBuilder(full).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("OTEL_") || name.equals("JAVA_TOOL_OPTIONS"));
    builder.environment().putAll(env);
    Process process = builder.start();
    try {
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new AssertionError("process did not exit within " + TIMEOUT_SECONDS + " s: " + full
            + "\nstdout:\n" + Files.readString(out) + "\nstderr:\n" + Files.readString(err));
      }
      return new Result(process.exitValue(), process.pid(), Files.readString(out), Files.readString(err));
    } finally {
      process.destroyForcibly();
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  record Result(int exitCode, long pid, String stdout, String stderr) {
    /** The value after {@code prefix} on the stdout line starting with it. */
    String line(String prefix) {
      return stdout.lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).findFirst()
          .orElseThrow(() -> new AssertionError("no line '" + prefix + "' in stdout:\n" + stdout + "\nstderr:\n"
              + stderr));
    }

    List<String> agentLogLines() {
      return stderr.lines().filter(l -> l.startsWith("[tracelight]")).toList();
    }
  }
}
