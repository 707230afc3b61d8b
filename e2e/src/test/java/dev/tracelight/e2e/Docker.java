package dev.tracelight.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The `docker` command line, run as a process (no client library): simple, and what a user would type. */
final class Docker {
  record Result(int exitCode, String stdout, String stderr) {}

  private static final long TIMEOUT_SECONDS = 300;

  private Docker() {
  }

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
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    // The legacy builder builds FROM local images without asking a registry (there is none to ask).
    builder.environment().put("DOCKER_BUILDKIT", "0");
    Process process = builder.start();
    try {
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("timed out after " + TIMEOUT_SECONDS + " s: " + command);
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

  /** Runs docker and returns its trimmed output; a non-zero exit is an AssertionError with docker's message. */
  static String ok(List<String> args) throws IOException {
    Result result = run(args);
    if (result.exitCode() != 0) {
      throw new AssertionError("docker " + String.join(" ", args) + " exited " + result.exitCode() + ": "
          + result.stderr().strip());
    }
    return result.stdout().strip();
  }

  static String ok(String... args) throws IOException {
    return ok(List.of(args));
  }

  /** The id of a tagged image, or null when there is none. */
  static String imageId(String image) throws IOException {
    Result inspect = run(List.of("image", "inspect", "--format", "{{.Id}}", image));
    return inspect.exitCode() == 0 ? inspect.stdout().strip() : null;
  }

  /** Removes the image a rebuilt tag used to name, so that reruns leave no untagged images behind. */
  static void removeIfReplaced(String image, String previousId) throws IOException {
    if (previousId != null && !previousId.equals(imageId(image))) {
      run(List.of("rmi", previousId));
    }
  }

  /** Removes containers and networks, ignoring those already gone. */
  static void remove(List<String> containers, List<String> networks) throws IOException {
    if (!containers.isEmpty()) {
      List<String> args = new ArrayList<>(List.of("rm", "-f", "-v"));
      args.addAll(containers);
      run(args);
    }
    for (String network : networks) {
      run(List.of("network", "rm", network));
    }
  }
}
