package dev.tracelight.agent.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Jars of real libraries for a forked app's class path: a version line copied to {@code target/it-libs/<line>/} by
 * agent/pom.xml, or taken from this test JVM's own class path (the test-scoped dependencies of agent/pom.xml) by their
 * Maven repository path, e.g. {@code "/org/postgresql/"}.
 */
final class ForkedLibraries {
  private static final Path IT_LIBS = Path.of(System.getProperty("tracelight.it.libs", "target/it-libs"));

  private ForkedLibraries() {}

  /** Every jar of one version line under target/it-libs, in a stable order. */
  static List<Path> itLibs(String line) throws IOException {
    try (Stream<Path> files = Files.list(IT_LIBS.resolve(line))) {
      return files.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
    }
  }

  static List<Path> matching(String... repositoryPaths) {
    List<Path> jars = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> entry.endsWith(".jar"))
        .filter(entry -> Arrays.stream(repositoryPaths).anyMatch(part -> entry.replace('\\', '/').contains(part)))
        .map(Path::of)
        .toList();
    for (String part : repositoryPaths) {
      if (jars.stream().noneMatch(jar -> jar.toString().replace('\\', '/').contains(part))) {
        throw new AssertionError("no jar under " + part + " on the test class path: add it to agent/pom.xml (test)");
      }
    }
    return jars;
  }
}
