package dev.tracelight.agent.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A throwaway redis-server (Debian's) on 127.0.0.1 and a free port, without persistence; stopped on close. */
final class RedisServer implements AutoCloseable {
  static final Path BINARY = Path.of("/usr/bin/redis-server");
  private static final long START_TIMEOUT_MILLIS = 20_000;

  private final int port;
  private final Process process;
  private final Path log;

  private RedisServer(int port, Process process, Path log) {
    this.port = port;
    this.process = process;
    this.log = log;
  }

  static boolean installed() {
    return Files.isExecutable(BINARY);
  }

  static RedisServer start() throws IOException, InterruptedException {
    int port = PostgresServer.freePort();
    Path log = Files.createTempFile("tracelight-redis", ".log");
    Process process = new ProcessBuilder(List.of(BINARY.toString(), "--port", Integer.toString(port),
        "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", log.getParent().toString()))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    RedisServer server = new RedisServer(port, process, log);
    server.awaitReady();
    return server;
  }

  int port() {
    return port;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    Files.deleteIfExists(log);
  }

  /** Ready when it answers PING with +PONG. */
  private void awaitReady() throws IOException, InterruptedException {
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
    while (true) {
      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
        OutputStream out = socket.getOutputStream();
        out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        byte[] reply = in.readNBytes(7);
        if (new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n")) {
          return;
        }
      } catch (IOException e) {
        if (!process.isAlive() || System.currentTimeMillis() > deadline) {
          close();
          throw new IllegalStateException("redis-server did not start: " + e.getMessage() + "\n"
              + Files.readString(log));
        }
        Thread.sleep(50);
      }
    }
  }
}
