package dev.tracelight.collector.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tracelight.collector.telemetry.Log;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A JDK {@link HttpServer} on its own pool of daemon threads: how every HTTP listener of the collector starts (OTLP
 * receiver, trace view, health check, metrics), so socket options and failure handling live in one place.
 */
public final class HttpEndpoint implements AutoCloseable {
  static {
    // The JDK's HttpServer leaves Nagle's algorithm on unless told otherwise; with a client's delayed ACK every response
    // on a kept-alive connection then waits ~40 ms (measured: 37 requests/s vs 1985/s in HttpEntryFuzzTest). The
    // property is read once, when the server implementation initializes: every server here is created below, after it.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;

  /** Answers one exchange; an IOException means the connection broke, anything else is answered with 500. */
  @FunctionalInterface
  public interface Responder {
    void respond(HttpExchange exchange) throws IOException;
  }

  private HttpEndpoint(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * @param name names the threads ({@code name-1}…) and prefixes the log lines
   * @param path the context path the responder serves
   */
  public static HttpEndpoint start(InetSocketAddress address, int backlog, String name, int threads, String path,
      Responder responder) throws IOException {
    HttpServer server = HttpServer.create(address, backlog);
    AtomicInteger n = new AtomicInteger();
    ExecutorService executor = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext(path, exchange -> handle(name, exchange, responder));
    server.start();
    return new HttpEndpoint(server, executor);
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private static void handle(String name, HttpExchange exchange, Responder responder) {
    try (exchange) {
      responder.respond(exchange);
    } catch (IOException e) {
      Log.debug(name + ": connection failed: " + e.getMessage());
    } catch (RuntimeException e) {
      Log.error(name + ": unexpected failure on " + exchange.getRequestURI() + ": " + e);
      try {
        exchange.sendResponseHeaders(500, -1);
      } catch (IOException ignored) {
        // the connection is gone already
      }
    }
  }
}
