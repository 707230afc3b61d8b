package dev.tracelight.samples.hello;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A small service with nothing but the JDK: {@code GET /hello} asks {@code /downstream} (java.net.http, from a worker
 * thread) and {@code /legacy} (HttpURLConnection) before answering. It knows nothing about tracing.
 *
 * <p>Usage: {@code java -cp hello-jdk.jar dev.tracelight.samples.hello.HelloService [port]} (0 or none: any free
 * port). Prints {@code LISTENING <port>} once it serves.
 */
public final class HelloService {
  private final HttpClient client = HttpClient.newHttpClient();
  private final ExecutorService workers = Executors.newFixedThreadPool(2);
  private final HttpServer server;

  private HelloService(int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext("/hello", this::hello);
    server.createContext("/downstream", exchange -> respond(exchange, 200, "downstream says hi"));
    server.createContext("/legacy", exchange -> respond(exchange, 200, "legacy says hi"));
  }

  public static void main(String[] args) throws IOException {
    HelloService service = new HelloService(args.length > 0 ? Integer.parseInt(args[0]) : 0);
    service.server.start();
    System.out.println("LISTENING " + service.server.getAddress().getPort());
  }

  private void hello(HttpExchange exchange) throws IOException {
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    try {
      String downstream = workers.submit(() -> client.send(
          HttpRequest.newBuilder(URI.create(base + "/downstream")).build(),
          HttpResponse.BodyHandlers.ofString()).body()).get(10, TimeUnit.SECONDS);
      HttpURLConnection legacy = (HttpURLConnection) new URL(base + "/legacy").openConnection();
      String legacyBody;
      try (InputStream in = legacy.getInputStream()) {
        legacyBody = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      respond(exchange, 200, "hello (" + downstream + ", " + legacyBody + ")\n");
    } catch (Exception e) {
      respond(exchange, 500, "failed: " + e + "\n");
    }
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
