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
 * The benchmark's JDK-only service: the shape of samples/hello-jdk's HelloService ({@code GET /hello} asks
 * {@code /downstream} with java.net.http from a worker thread and {@code /legacy} with HttpURLConnection, then answers),
 * with unbounded pools: HelloService's four server threads deadlock under eight concurrent clients, since every
 * {@code /hello} holds a server thread while it waits for its own {@code /downstream}. Usage: {@code BenchHello port}.
 */
public final class BenchHello {
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final ExecutorService workers = Executors.newCachedThreadPool();
  private final HttpServer server;

  private BenchHello(int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/hello", this::hello);
    server.createContext("/downstream", exchange -> respond(exchange, 200, "downstream says hi"));
    server.createContext("/legacy", exchange -> respond(exchange, 200, "legacy says hi"));
  }

  public static void main(String[] args) throws IOException {
    // Without TCP_NODELAY the JDK server's separate header and body writes meet the client's delayed ACK: 40 ms per hop.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    BenchHello app = new BenchHello(Integer.parseInt(args[0]));
    app.server.start();
    System.out.println("LISTENING " + app.server.getAddress().getPort());
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
