package dev.tracelight.agent.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server on 127.0.0.1 and a free port, in a temporary data directory (trust auth, no fsync),
 * from Debian's binaries. PostgreSQL refuses to run as root, so under root it runs as the {@code postgres} user.
 */
final class PostgresServer implements AutoCloseable {
  /** Debian's layout, /usr/lib/postgresql/<major>/bin; the newest major present (15 on Debian 12). */
  static final Path BIN = newestBinaries(Path.of("/usr/lib/postgresql"));
  private static final long START_TIMEOUT_MILLIS = 30_000;

  private final Path directory;
  private final int port;
  private final Process process;

  private PostgresServer(Path directory, int port, Process process) {
    this.directory = directory;
    this.port = port;
    this.process = process;
  }

  static boolean installed() {
    return Files.isExecutable(BIN.resolve("postgres")) && Files.isExecutable(BIN.resolve("initdb"));
  }

  static PostgresServer start() throws IOException, InterruptedException {
    Path directory = Files.createTempDirectory("tracelight-pg");
    if (isRoot()) {
      UserPrincipal postgres = directory.getFileSystem().getUserPrincipalLookupService()
          .lookupPrincipalByName("postgres");
      Files.setOwner(directory, postgres);
    }
    Path data = directory.resolve("data");
    Process initdb = new ProcessBuilder(asServerUser(BIN.resolve("initdb").toString(), "-D", data.toString(),
        "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"))
        .redirectErrorStream(true).redirectOutput(directory.resolve("initdb.log").toFile()).start();
    if (!initdb.waitFor(60, TimeUnit.SECONDS) || initdb.exitValue() != 0) {
      initdb.destroyForcibly();
      throw new IllegalStateException("initdb failed: " + Files.readString(directory.resolve("initdb.log")));
    }
    int port = freePort();
    Process process = new ProcessBuilder(asServerUser(BIN.resolve("postgres").toString(), "-D", data.toString(),
        "-k", directory.toString(), "-p", Integer.toString(port), "-c", "listen_addresses=127.0.0.1",
        "-c", "fsync=off", "-c", "full_page_writes=off"))
        .redirectErrorStream(true).redirectOutput(directory.resolve("server.log").toFile()).start();
    PostgresServer server = new PostgresServer(directory, port, process);
    try {
      server.awaitReady();
    } catch (RuntimeException | IOException e) {
      server.close();
      throw e;
    }
    return server;
  }

  int port() {
    return port;
  }

  String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  void createDatabase(String name) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url("postgres"), "postgres", "");
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    try {
      Process stop = new ProcessBuilder(asServerUser(BIN.resolve("pg_ctl").toString(), "stop", "-D",
          directory.resolve("data").toString(), "-m", "immediate", "-w")).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!stop.waitFor(30, TimeUnit.SECONDS)) {
        stop.destroyForcibly();
      }
      process.waitFor(10, TimeUnit.SECONDS);
    } finally {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
      try (Stream<Path> files = Files.walk(directory)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  private void awaitReady() throws IOException, InterruptedException {
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
    while (true) {
      try (Connection ignored = DriverManager.getConnection(url("postgres"), "postgres", "")) {
        return;
      } catch (SQLException e) {
        if (!process.isAlive() || System.currentTimeMillis() > deadline) {
          throw new IllegalStateException("PostgreSQL did not start: " + e.getMessage() + "\n"
              + Files.readString(directory.resolve("server.log")));
        }
        Thread.sleep(100);
      }
    }
  }

  private static List<String> asServerUser(String... command) {
    List<String> full = new ArrayList<>();
    if (isRoot()) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(List.of(command));
    return full;
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static Path newestBinaries(Path root) {
    try (Stream<Path> versions = Files.list(root)) {
      return versions.filter(version -> Files.isExecutable(version.resolve("bin/postgres")))
          .max(Comparator.comparingInt(version -> majorOf(version.getFileName().toString())))
          .map(version -> version.resolve("bin"))
          .orElse(root.resolve("15/bin"));
    } catch (IOException e) {
      return root.resolve("15/bin");
    }
  }

  private static int majorOf(String name) {
    try {
      return Integer.parseInt(name);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
