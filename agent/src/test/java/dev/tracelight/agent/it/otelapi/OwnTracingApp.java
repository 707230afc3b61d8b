package dev.tracelight.agent.it.otelapi;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An application that uses its own OpenTelemetry API (the version on its class path, no SDK) for traces, baggage,
 * context values, metrics and (API 1.27+) logs, inside requests the agent traces. Argument {@code newest} also calls
 * what only new APIs have ({@link NewestApi}). It prints
 * what it saw for the test to compare with what was exported.
 */
public final class OwnTracingApp {
  private static final AttributeKey<String> REGION = AttributeKey.stringKey("shop.region");
  private static final ContextKey<String> REQUEST = ContextKey.named("shop.request");

  private OwnTracingApp() {}

  public static void main(String[] args) {
    try {
      run(args);
    } catch (Throwable e) {
      e.printStackTrace();
      System.exit(1); // the server's threads would keep the JVM alive
    }
  }

  private static void run(String[] args) throws Exception {
    boolean newest = args.length > 0 && args[0].equals("newest");
    // an SDK of its own would be set like this; the agent's stays the global one, and set twice does not throw
    GlobalOpenTelemetry.set(OpenTelemetry.propagating(ContextPropagators.noop()));
    GlobalOpenTelemetry.set(OpenTelemetry.propagating(ContextPropagators.noop()));
    Meter meter = GlobalOpenTelemetry.getMeter("shop");
    LongCounter orders = meter.counterBuilder("shop.orders").setUnit("{order}").setDescription("orders placed")
        .build();
    DoubleHistogram latency = meter.histogramBuilder("shop.latency").setUnit("s").build();
    observe(meter);
    if (newest) {
      NewestApi.record(meter);
      System.out.println("IS-SET " + GlobalOpenTelemetry.isSet());
    }

    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    HttpClient client = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:";
    Tracer tracer = GlobalOpenTelemetry.getTracer("shop");
    ExecutorService pool = Executors.newSingleThreadExecutor();
    server.createContext("/checkout", exchange -> {
      Span.current().setAttribute("shop.cart", "c-1");
      System.out.println("SERVER-SPAN " + Span.fromContext(Context.current()).getSpanContext().getSpanId());
      System.out.println("BAGGAGE-IN " + Baggage.current().getEntryValue("tenant"));
      orders.add(2, Attributes.of(REGION, "eu"));
      orders.add(3, Attributes.of(REGION, "eu"));
      orders.add(1, Attributes.of(REGION, "us"), Context.current());
      latency.record(0.25, Attributes.of(REGION, "eu"));
      latency.record(0.5, Attributes.of(REGION, "eu"));
      Span lookup = tracer.spanBuilder("price-lookup").setAttribute("shop.items", 3L).startSpan();
      lookup.setAllAttributes(Attributes.builder().put("shop.gift", true).put("shop.discount", 0.5)
          .put(AttributeKey.stringArrayKey("shop.tags"), List.of("a", "b"))
          .put(AttributeKey.longArrayKey("shop.quantities"), List.of(1L, 2L)).build());
      lookup.setStatus(StatusCode.ERROR, "partial prices");
      if (newest) {
        NewestApi.annotate(lookup);
      }
      String prices;
      try (Scope ignored = lookup.makeCurrent();
          Scope withCart = Baggage.current().toBuilder().put("cart", "c-1").build().makeCurrent();
          Scope withRequest = Context.current().with(REQUEST, "r-7").makeCurrent()) {
        System.out.println("CURRENT-SPAN " + Span.current().getSpanContext().getSpanId());
        prices = client.send(HttpRequest.newBuilder(
                URI.create(base + server.getAddress().getPort() + "/prices")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        onOtherThread("WRAPPED-TASK ", Context.taskWrapping(OwnTracingApp::newThread));
        onOtherThread("RAW-TASK ", OwnTracingApp::newThread);
        // a pool the agent's executors instrumentation propagates to: the app's values travel in the agent's context
        System.out.println("POOL-TASK " + pool.submit(OwnTracingApp::seen).get());
        Map<String, String> carrier = new TreeMap<>();
        GlobalOpenTelemetry.getPropagators().getTextMapPropagator().inject(Context.current(), carrier, Map::put);
        System.out.println("INJECTED " + carrier);
        if (newest) {
          NewestApi.emitLog();
        }
      } catch (InterruptedException | ExecutionException e) {
        throw new IOException(e);
      } finally {
        lookup.end();
      }
      System.out.println("AFTER-SCOPE " + Context.current().get(REQUEST) + " "
          + Baggage.current().getEntryValue("cart") + " " + Span.current().getSpanContext().getSpanId());
      System.out.println("APP-SPAN " + lookup.getSpanContext().getTraceId() + " "
          + lookup.getSpanContext().getSpanId());
      Span audit = tracer.spanBuilder("audit").setParent(Context.root()).startSpan();
      audit.end();
      System.out.println("AUDIT-TRACE " + audit.getSpanContext().getTraceId());
      respond(exchange, prices);
    });
    server.createContext("/prices", exchange -> {
      System.out.println("PRICES-BAGGAGE " + exchange.getRequestHeaders().getFirst("baggage"));
      System.out.println("PRICES-TRACEPARENT " + exchange.getRequestHeaders().getFirst("traceparent"));
      respond(exchange, "42");
    });
    // /checkout calls /prices on this server: handlers need more than the default single dispatcher thread
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
    HttpResponse<String> response;
    try (Scope ignored = Baggage.builder().put("tenant", "acme").build().makeCurrent()) {
      response = client.send(HttpRequest.newBuilder(
              URI.create(base + server.getAddress().getPort() + "/checkout")).build(),
          HttpResponse.BodyHandlers.ofString());
    }
    System.out.println("CHECKOUT " + response.statusCode() + " " + response.body());
    extractRemoteParent(tracer);
    System.out.println("ROOT-AFTER " + Span.current().getSpanContext().isValid() + " "
        + Baggage.current().isEmpty() + " " + (Context.current() == Context.root()));
    String apiJar = Span.class.getProtectionDomain().getCodeSource().getLocation().getPath();
    System.out.println("API-JAR " + apiJar.substring(apiJar.lastIndexOf('/') + 1));
    server.stop(0);
    pool.shutdown();
    System.exit(0);
  }

  /** Instruments every API 1.10 has, with values the test knows. */
  private static void observe(Meter meter) {
    meter.counterBuilder("shop.revenue").ofDoubles().setUnit("EUR").build().add(9.5, Attributes.of(REGION, "eu"));
    meter.upDownCounterBuilder("shop.queue").build().add(5);
    meter.upDownCounterBuilder("shop.queue").build().add(-2);
    meter.upDownCounterBuilder("shop.balance").ofDoubles().build().add(1.5);
    meter.upDownCounterBuilder("shop.balance").ofDoubles().build().add(-0.25);
    meter.histogramBuilder("shop.size").ofLongs().build().record(3);
    meter.histogramBuilder("shop.size").ofLongs().build().record(7);
    meter.gaugeBuilder("shop.temperature").setUnit("Cel")
        .buildWithCallback(measurement -> measurement.record(21.5, Attributes.of(REGION, "eu")));
    meter.gaugeBuilder("shop.stock").ofLongs().buildWithCallback(measurement -> measurement.record(12));
    meter.counterBuilder("shop.observed").buildWithCallback(measurement -> measurement.record(42));
    meter.upDownCounterBuilder("shop.observed.balance").ofDoubles()
        .buildWithCallback(measurement -> measurement.record(-1.5));
  }

  private static void onOtherThread(String label, Executor executor) throws InterruptedException {
    String[] seen = new String[1];
    executor.execute(() -> seen[0] = seen());
    // newThread ran it on a thread of its own and waited for it
    System.out.println(label + seen[0]);
  }

  private static String seen() {
    return Context.current().get(REQUEST) + " " + Baggage.current().getEntryValue("cart") + " "
        + Span.current().getSpanContext().getSpanId();
  }

  /** The agent's propagators through the app's API: a W3C parent and baggage from a map the app reads. */
  private static void extractRemoteParent(Tracer tracer) {
    Map<String, String> headers = Map.of("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "baggage", "origin=partner");
    Context extracted = GlobalOpenTelemetry.getPropagators().getTextMapPropagator()
        .extract(Context.root(), headers, new TextMapGetter<Map<String, String>>() {
          @Override
          public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
          }

          @Override
          public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
          }
        });
    System.out.println("EXTRACTED " + Baggage.fromContext(extracted).getEntryValue("origin") + " "
        + Span.fromContext(extracted).getSpanContext().isRemote());
    tracer.spanBuilder("partner-callback").setParent(extracted).startSpan().end();
  }

  /** A plain new thread, which the agent does not propagate context to: only Context.taskWrapping does. */
  private static void newThread(Runnable task) {
    Thread thread = new Thread(task);
    thread.start();
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void respond(HttpExchange exchange, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(200, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }
}
