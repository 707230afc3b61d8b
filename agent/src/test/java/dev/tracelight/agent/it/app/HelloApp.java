package dev.tracelight.agent.it.app;

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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The JDK-only application the forked tests run under the agent. {@code hello}: calls its own /hello with HttpClient;
 * the handler calls /downstream from an executor task (HttpClient) and /legacy with HttpURLConnection; both echo the
 * trace headers they received. {@code fanout}: the handler of /fanout calls /downstream from every kind of executor.
 * Prints what it saw on stdout, one fact per line, then exits normally.
 */
public final class HelloApp {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final ExecutorService WORKERS = Executors.newFixedThreadPool(2);
  private static int port;

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "hello";
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    ExecutorService serverThreads = Executors.newFixedThreadPool(4);
    server.setExecutor(serverThreads);
    server.createContext("/hello", HelloApp::hello);
    server.createContext("/downstream", exchange -> respond(exchange, 200, echoHeaders(exchange)));
    server.createContext("/legacy", exchange -> respond(exchange, 200, echoHeaders(exchange)));
    server.createContext("/fanout", HelloApp::fanout);
    server.createContext("/clients", HelloApp::clients);
    server.createContext("/status/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      String path = exchange.getRequestURI().getPath();
      respond(exchange, Integer.parseInt(path.substring(path.lastIndexOf('/') + 1)), "as asked");
    });
    server.start();
    port = server.getAddress().getPort();
    System.out.println("JAVA " + System.getProperty("java.version"));
    System.out.println("ISOLATION bytebuddy=" + visible("net/bytebuddy/ByteBuddy.class")
        + " otel-api=" + visible("io/opentelemetry/api/OpenTelemetry.class")
        + " otel-sdk=" + visible("io/opentelemetry/sdk/OpenTelemetrySdk.class"));
    HttpResponse<String> response = CLIENT.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/" + mode + "?q=1")).build(),
        HttpResponse.BodyHandlers.ofString());
    System.out.println("STATUS " + response.statusCode());
    System.out.println(response.body().trim());
    // A server span ends after its response is sent, so the client can read the answer before the handler thread has
    // ended the span; let the handler threads finish before exiting, so the shutdown flush sees every span.
    server.stop(1);
    serverThreads.shutdown();
    serverThreads.awaitTermination(5, TimeUnit.SECONDS);
    System.exit(0);
  }

  private static void hello(HttpExchange exchange) throws IOException {
    try {
      String downstream = WORKERS.submit(() -> CLIENT.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/downstream")).build(),
          HttpResponse.BodyHandlers.ofString()).body()).get(10, TimeUnit.SECONDS);
      String legacy = getWithUrlConnection("/legacy");
      respond(exchange, 200, "DOWNSTREAM " + downstream + "\nLEGACY " + legacy);
    } catch (Exception e) {
      respond(exchange, 500, "FAILED " + e);
    }
  }

  private static void fanout(HttpExchange exchange) throws IOException {
    List<String> lines = new ArrayList<>();
    try {
      ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
      lines.add("scheduled " + scheduler.schedule(call("scheduled"), 1, TimeUnit.MILLISECONDS).get());
      scheduler.shutdown();
      ForkJoinPool pool = new ForkJoinPool(2);
      lines.add("forkjoin " + pool.submit(call("forkjoin")).get());
      pool.shutdown();
      lines.add("completable " + CompletableFuture.supplyAsync(() -> "x")
          .thenApplyAsync(x -> unchecked(call("completable"))).get(10, TimeUnit.SECONDS));
      if (Runtime.version().feature() >= 21) {
        String[] result = new String[1];
        Thread virtual = (Thread) Thread.class.getMethod("startVirtualThread", Runnable.class)
            .invoke(null, (Runnable) () -> result[0] = unchecked(call("virtual")));
        virtual.join();
        lines.add("virtual " + result[0]);
      }
      respond(exchange, 200, String.join("\n", lines));
    } catch (Exception e) {
      respond(exchange, 500, "FAILED " + e);
    }
  }

  /** Errors and bodies: HttpClient sendAsync POST to a 500, HttpURLConnection POST, 404 and refused connection. */
  private static void clients(HttpExchange exchange) throws IOException {
    List<String> lines = new ArrayList<>();
    try {
      HttpResponse<String> async = CLIENT.sendAsync(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/status/500"))
              .POST(HttpRequest.BodyPublishers.ofString("payload")).header("X-Custom", "kept").build(),
          HttpResponse.BodyHandlers.ofString()).get(10, TimeUnit.SECONDS);
      lines.add("async " + async.statusCode());

      HttpURLConnection post = (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/status/201")
          .openConnection();
      post.setDoOutput(true);
      try (OutputStream out = post.getOutputStream()) {
        out.write("payload".getBytes(StandardCharsets.UTF_8));
      }
      lines.add("post " + post.getResponseCode() + " " + post.getResponseCode());
      post.getInputStream().close();

      HttpURLConnection missing = (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/status/404")
          .openConnection();
      try {
        missing.getInputStream();
      } catch (IOException expected) {
        lines.add("missing " + expected.getClass().getSimpleName() + " " + missing.getResponseCode());
      }

      HttpURLConnection refused = (HttpURLConnection) new URL("http://127.0.0.1:" + closedPort() + "/nothing")
          .openConnection();
      try {
        refused.getResponseCode();
      } catch (IOException expected) {
        lines.add("refused " + expected.getClass().getSimpleName());
      }
      respond(exchange, 200, String.join("\n", lines));
    } catch (Exception e) {
      respond(exchange, 500, "FAILED " + e);
    }
  }

  private static int closedPort() throws IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static Callable<String> call(String via) {
    return () -> getWithUrlConnection("/downstream?via=" + via);
  }

  private static String unchecked(Callable<String> callable) {
    try {
      return callable.call();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String getWithUrlConnection(String path) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) new URL("http://127.0.0.1:" + port + path).openConnection();
    int status = connection.getResponseCode();
    try (InputStream in = connection.getInputStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8) + " status=" + status;
    }
  }

  private static String echoHeaders(HttpExchange exchange) {
    StringBuilder echo = new StringBuilder();
    for (String header : new String[] {"traceparent", "b3", "X-B3-TraceId", "X-B3-SpanId", "uber-trace-id"}) {
      echo.append(echo.length() == 0 ? "" : " ").append(header.toLowerCase()).append('=')
          .append(exchange.getRequestHeaders().getFirst(header));
    }
    return echo.toString();
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static String visible(String resource) {
    return ClassLoader.getSystemClassLoader().getResource(resource) == null ? "hidden" : "visible";
  }
}
