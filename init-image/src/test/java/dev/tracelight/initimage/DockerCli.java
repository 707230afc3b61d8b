package dev.tracelight.initimage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The `docker` command line, run as a process: no client library, no daemon assumptions beyond `docker info`. */
final class DockerCli {
  record Result(int exitCode, String stdout, String stderr) {}

  private DockerCli() {}

  /** Why Docker cannot be used here, or null when `docker info` answers. */
  static String unavailableReason() {
    try {
      Result info = run(List.of("info", "--format", "{{.ServerVersion}}"));
      return info.exitCode() == 0 ? null : "docker info failed: " + info.stderr().strip();
    } catch (IOException e) {
      return "no docker command: " + e.getMessage();
    }
  }

  static Result run(List<String> args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add("docker");
    command.addAll(args);
    Path out = Files.createTempFile("docker", ".out");
    Path err = Files.createTempFile("docker", ".err");
    Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    try {
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("timed out after 120 s: " + command);
      }
      return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + command, e);
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  static Result ok(String... args) throws IOException {
    Result result = run(List.of(args));
    if (result.exitCode() != 0) {
      throw new AssertionError("docker " + String.join(" ", args) + " exited " + result.exitCode() + ": "
          + result.stderr());
    }
    return result;
  }
}
