package dev.tracelight.agent.it.faults;

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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The JDK-only (plus H2 for {@code flood}) application of {@code AgentFaultIT}. Modes:
 * <ul>
 *   <li>{@code steady <rounds>}: rounds of 10 requests to its own /echo, 300 ms apart (so several export batches
 *   fail), then {@code ANSWERED <correct>/<sent>}.</li>
 *   <li>{@code throws <closedPort>}: a handler that throws, HttpClient send/sendAsync to a refused port, executor and
 *   CompletableFuture tasks that throw; one {@code OUTCOME} line per case with the exception chain and throw site.</li>
 *   <li>{@code flood <spans>}: heap after GC, then one request whose handler runs {@code spans} H2 queries (one CLIENT
 *   span each), heap after GC again, then a second request to show the app still answers.</li>
 *   <li>{@code secrets}: HttpURLConnection to /echo with credentials in the URL, a signature in the query, and
 *   Authorization, Cookie and X-Tenant headers.</li>
 *   <li>{@code reuse}: a one-thread server pool handles /work (which calls /downstream from a one-thread executor),
 *   /boom (throws) and /plain in turn; then a task is submitted to that executor from outside any request.</li>
 * </ul>
 * Requests from main go through java.net.http's HttpClient; the tests switch its instrumentation off where they need
 * server spans to be roots.
 */
public final class FaultApp {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final ExecutorService WORKER = Executors.newSingleThreadExecutor();
  private static int port;
  private static int backendPort;

  public static void main(String[] args) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    // One thread: every request is handled by the same pooled thread, the one a leaked context would stay on.
    ExecutorService serverPool = Executors.newFixedThreadPool(1);
    server.setExecutor(serverPool);
    server.createContext("/echo", exchange -> respond(exchange, 200, "echo " + exchange.getRequestURI().getQuery()));
    server.createContext("/boom", exchange -> {
      System.out.println("THREAD /boom " + Thread.currentThread().getName());
      throw new IllegalStateException("boom from handler");
    });
    server.createContext("/work", exchange -> {
      System.out.println("THREAD /work " + Thread.currentThread().getName());
      try {
        respond(exchange, 200, WORKER.submit(() -> get("/downstream?via=request")).get(10, TimeUnit.SECONDS));
      } catch (Exception e) {
        respond(exchange, 500, e.toString());
      }
    });
    server.createContext("/plain", exchange -> {
      System.out.println("THREAD /plain " + Thread.currentThread().getName());
      respond(exchange, 200, "plain");
    });
    server.createContext("/flood", FaultApp::queries);
    server.start();
    port = server.getAddress().getPort();
    // /downstream on its own server: the main server's only thread may be waiting for it.
    HttpServer backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    ExecutorService backendPool = Executors.newFixedThreadPool(1);
    backend.setExecutor(backendPool);
    backend.createContext("/downstream", exchange -> respond(exchange, 200, "down"));
    backend.start();
    backendPort = backend.getAddress().getPort();
    try {
      switch (args[0]) {
        case "steady" -> steady(Integer.parseInt(args[1]));
        case "throws" -> throwsFromLibraries(Integer.parseInt(args[1]));
        case "flood" -> flood(Integer.parseInt(args[1]));
        case "reuse" -> reuse();
        case "secrets" -> secrets();
        default -> throw new IllegalArgumentException("unknown mode " + args[0]);
      }
    } finally {
      server.stop(0);
      backend.stop(0);
      // A server span ends after its response was sent: wait for the handlers to return, so that no span is still
      // open when System.exit starts the agent's final flush.
      for (ExecutorService pool : new ExecutorService[] {serverPool, backendPool, WORKER}) {
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
      }
    }
    System.exit(0);
  }

  private static void steady(int rounds) throws Exception {
    int correct = 0;
    for (int round = 0; round < rounds; round++) {
      for (int i = 0; i < 10; i++) {
        HttpResponse<String> response = send("/echo?n=" + round + "-" + i);
        if (response.statusCode() == 200 && response.body().equals("echo n=" + round + "-" + i)) {
          correct++;
        }
      }
      Thread.sleep(300);
    }
    System.out.println("ANSWERED " + correct + "/" + rounds * 10);
  }

  private static void throwsFromLibraries(int closedPort) throws Exception {
    outcome("handler-throws", () -> send("/boom"));
    URI refused = URI.create("http://127.0.0.1:" + closedPort + "/nothing");
    outcome("client-send-refused",
        () -> CLIENT.send(HttpRequest.newBuilder(refused).build(), HttpResponse.BodyHandlers.ofString()));
    outcome("client-send-async-refused",
        () -> CLIENT.sendAsync(HttpRequest.newBuilder(refused).build(), HttpResponse.BodyHandlers.ofString()).get());
    outcome("executor-submit-throws", () -> WORKER.submit(() -> {
      throw new IllegalArgumentException("task failed");
    }).get());
    CountDownLatch uncaught = new CountDownLatch(1);
    ExecutorService dying = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable);
      thread.setUncaughtExceptionHandler((t, e) -> {
        System.out.println("OUTCOME executor-execute-throws " + chain(e));
        uncaught.countDown();
      });
      return thread;
    });
    dying.execute(() -> {
      throw new UnsupportedOperationException("runnable failed");
    });
    uncaught.await(10, TimeUnit.SECONDS);
    dying.shutdown();
    outcome("completable-future-throws", () -> CompletableFuture.supplyAsync(() -> {
      throw new ArithmeticException("stage failed");
    }).join());
  }

  private static void flood(int spans) throws Exception {
    System.out.println("HEAP_BEFORE " + heapAfterGc());
    HttpResponse<String> flood = send("/flood?spans=" + spans);
    System.out.println("FLOOD " + flood.statusCode() + " " + flood.body());
    System.out.println("HEAP_AFTER " + heapAfterGc());
    HttpResponse<String> after = send("/echo?after=flood");
    System.out.println("AFTER " + after.statusCode() + " " + after.body());
  }

  private static void queries(HttpExchange exchange) throws IOException {
    int spans = Integer.parseInt(exchange.getRequestURI().getQuery().substring("spans=".length()));
    long sum = 0;
    try (Connection connection = DriverManager.getConnection("jdbc:h2:mem:flood", "sa", "");
        PreparedStatement statement = connection.prepareStatement("SELECT ? + 1")) {
      for (int i = 0; i < spans; i++) {
        statement.setInt(1, i);
        try (ResultSet rows = statement.executeQuery()) {
          rows.next();
          sum += rows.getLong(1);
        }
      }
      respond(exchange, 200, "queries=" + spans + " sum=" + sum);
    } catch (Exception e) {
      respond(exchange, 500, e.toString());
    }
  }

  private static void reuse() throws Exception {
    System.out.println("WORK " + send("/work").body());
    System.out.println("BOOM " + outcomeOf(() -> send("/boom")));
    System.out.println("PLAIN " + send("/plain").body());
    // Outside any request: the executor's only thread ran /work's task before.
    System.out.println("IDLE " + WORKER.submit(() -> get("/downstream?via=idle")).get(10, TimeUnit.SECONDS));
  }

  private static void secrets() throws Exception {
    HttpURLConnection connection = (HttpURLConnection) new URL(
        "http://alice:s3cret-pass@127.0.0.1:" + port + "/echo?sig=s3cret-sig&x=1").openConnection();
    connection.setRequestProperty("Authorization", "Bearer s3cret-token");
    connection.setRequestProperty("Cookie", "session=s3cret-cookie");
    connection.setRequestProperty("X-Tenant", "acme");
    try (InputStream in = connection.getInputStream()) {
      System.out.println("SECRETS " + connection.getResponseCode() + " "
          + new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private static long heapAfterGc() {
    Runtime runtime = Runtime.getRuntime();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) { // the lowest of a few full collections: objects freed late by finalizer/cleaner
      System.gc();
      used = Math.min(used, runtime.totalMemory() - runtime.freeMemory());
    }
    return used;
  }

  private interface Action {
    Object run() throws Exception;
  }

  private static void outcome(String name, Action action) {
    System.out.println("OUTCOME " + name + " " + outcomeOf(action));
  }

  private static String outcomeOf(Action action) {
    try {
      return "returned " + action.run();
    } catch (Throwable e) {
      return chain(e);
    }
  }

  /** Each exception of the cause chain with its message and the frame it was thrown from. */
  private static String chain(Throwable e) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      StackTraceElement site = t.getStackTrace().length == 0 ? null : t.getStackTrace()[0];
      text.append(text.length() == 0 ? "" : " <- ").append(t.getClass().getName()).append(": ").append(t.getMessage())
          .append(" @ ").append(site == null ? "?" : site.getClassName() + "." + site.getMethodName());
    }
    return text.toString();
  }

  private static HttpResponse<String> send(String path) throws IOException, InterruptedException {
    return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String get(String path) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) new URL("http://127.0.0.1:" + backendPort + path)
        .openConnection();
    try (InputStream in = connection.getInputStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
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
