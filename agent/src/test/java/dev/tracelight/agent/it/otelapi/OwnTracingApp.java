package dev.tracelight.agent.it.otelapi;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * An application that traces with its own OpenTelemetry API (an older 1.x on its class path, no SDK): inside a
 * request the agent traces, it annotates {@code Span.current()} and wraps a downstream call in a span of its own.
 */
public final class OwnTracingApp {
  private OwnTracingApp() {}

  public static void main(String[] args) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    HttpClient client = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:";
    server.createContext("/checkout", exchange -> {
      Span.current().setAttribute("shop.cart", "c-1");
      Span lookup = GlobalOpenTelemetry.getTracer("shop").spanBuilder("price-lookup")
          .setAttribute("shop.items", 3L).startSpan();
      String prices;
      try (Scope ignored = lookup.makeCurrent()) {
        prices = client.send(HttpRequest.newBuilder(
                URI.create(base + server.getAddress().getPort() + "/prices")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
      } catch (InterruptedException e) {
        throw new IOException(e);
      } finally {
        lookup.end();
      }
      System.out.println("APP-SPAN " + lookup.getSpanContext().getTraceId() + " "
          + lookup.getSpanContext().getSpanId());
      respond(exchange, prices);
    });
    server.createContext("/prices", exchange -> respond(exchange, "42"));
    // /checkout calls /prices on this server: handlers need more than the default single dispatcher thread
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
    HttpResponse<String> response = client.send(HttpRequest.newBuilder(
        URI.create(base + server.getAddress().getPort() + "/checkout")).build(), HttpResponse.BodyHandlers.ofString());
    System.out.println("CHECKOUT " + response.statusCode() + " " + response.body());
    String apiJar = Span.class.getProtectionDomain().getCodeSource().getLocation().getPath();
    System.out.println("API-JAR " + apiJar.substring(apiJar.lastIndexOf('/') + 1));
    server.stop(0);
    System.exit(0);
  }

  private static void respond(com.sun.net.httpserver.HttpExchange exchange, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(200, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }
}
