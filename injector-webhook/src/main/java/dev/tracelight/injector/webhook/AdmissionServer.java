package dev.tracelight.injector.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.tracelight.injector.tls.ServingKeys;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLParameters;

/**
 * The HTTPS shell around {@link PodAdmission}: {@code POST /mutate-v1-pod}, {@code GET /healthz} (the process
 * answers), {@code GET /readyz} (it can answer correctly). TLS 1.2 and 1.3 only.
 */
public final class AdmissionServer implements AutoCloseable {

  public static final String MUTATE_PATH = "/mutate-v1-pod";
  /** Kubernetes objects are at most ~1.5 MiB; anything much larger is not an AdmissionReview. */
  static final int MAX_BODY = 4 * 1024 * 1024;
  private static final Logger LOG = Logger.getLogger(AdmissionServer.class.getName());

  private final HttpsServer server;
  private final ExecutorService executor;

  private AdmissionServer(HttpsServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Starts serving.
   *
   * @param port 0 picks a free port
   * @param ready what /readyz reports
   */
  public static AdmissionServer start(InetSocketAddress address, ServingKeys keys, PodAdmission admission,
                                      BooleanSupplier ready) throws IOException {
    // The JDK server writes headers and body in separate segments; with Nagle's algorithm on, each answer waits for
    // the client's delayed ACK (~40 ms instead of ~1 ms per admission). Read once, when the first server is made.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    HttpsServer server = HttpsServer.create(address, 64);
    server.setHttpsConfigurator(new HttpsConfigurator(keys.sslContext()) {
      @Override
      public void configure(HttpsParameters params) {
        SSLParameters parameters = getSSLContext().getDefaultSSLParameters();
        parameters.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        params.setSSLParameters(parameters);
      }
    });
    server.createContext(MUTATE_PATH, exchange -> handle(exchange, () -> mutate(exchange, admission)));
    server.createContext("/healthz", exchange -> handle(exchange, () -> plain(exchange, 200, "ok")));
    server.createContext("/readyz", exchange -> handle(exchange, () -> {
      boolean isReady = ready.getAsBoolean();
      plain(exchange, isReady ? 200 : 503, isReady ? "ok" : "not ready");
    }));
    ExecutorService executor = Executors.newFixedThreadPool(8, runnable -> {
      Thread thread = new Thread(runnable, "tracelight-admission");
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(executor);
    server.start();
    return new AdmissionServer(server, executor);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Stops accepting, lets admissions in flight finish (at most 2 s): a dropped one would be a pod without agent. */
  @Override
  public void close() {
    server.stop(2);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private interface Step {
    void run() throws IOException;
  }

  /** Whatever happens while answering, the exchange is closed and the server goes on. */
  private static void handle(HttpExchange exchange, Step step) {
    try (exchange) {
      step.run();
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.FINE, "tracelight: request " + exchange.getRequestURI() + " failed", e);
    }
  }

  private static void mutate(HttpExchange exchange, PodAdmission admission) throws IOException {
    if (!exchange.getRequestMethod().equals("POST")) {
      exchange.getResponseHeaders().add("Allow", "POST");
      plain(exchange, 405, "use POST with an AdmissionReview");
      return;
    }
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readNBytes(MAX_BODY + 1);
    }
    if (body.length > MAX_BODY) {
      plain(exchange, 413, "AdmissionReview larger than " + MAX_BODY + " bytes");
      return;
    }
    PodAdmission.Answer answer = admission.review(body);
    exchange.getResponseHeaders().add("Content-Type", answer.contentType());
    exchange.sendResponseHeaders(answer.status(), answer.body().length);
    exchange.getResponseBody().write(answer.body());
  }

  private static void plain(HttpExchange exchange, int status, String text) throws IOException {
    byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
  }
}
