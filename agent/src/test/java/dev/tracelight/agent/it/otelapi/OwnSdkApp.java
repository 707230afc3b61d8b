package dev.tracelight.agent.it.otelapi;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Collection;

/**
 * An application that brings its own SDK and registers it with {@code buildAndRegisterGlobal()}. The agent's stays
 * the global one; the application's SDK, used directly, still exports to its own exporter (which prints), and its
 * spans share the one context with the agent's.
 */
public final class OwnSdkApp {
  private OwnSdkApp() {}

  public static void main(String[] args) {
    try {
      run();
    } catch (Throwable e) {
      e.printStackTrace();
      System.exit(1);
    }
  }

  private static void run() throws Exception {
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(new Printing()))
            .build())
        .buildAndRegisterGlobal();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/ping", exchange -> {
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    server.start();
    Span global = GlobalOpenTelemetry.getTracer("global").spanBuilder("through-global").startSpan();
    try (Scope ignored = global.makeCurrent()) {
      Span own = sdk.getTracer("own").spanBuilder("own-sdk-span").startSpan();
      try (Scope alsoIgnored = own.makeCurrent()) {
        int status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/ping")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode();
        System.out.println("PING " + status + " " + (Span.current() == own));
      } finally {
        own.end();
      }
    } finally {
      global.end();
    }
    sdk.getSdkTracerProvider().shutdown().join(5, java.util.concurrent.TimeUnit.SECONDS);
    server.stop(0);
    System.exit(0);
  }

  private static final class Printing implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      for (SpanData span : spans) {
        System.out.println("APP-SDK-SPAN " + span.getName() + " " + span.getTraceId() + " " + span.getSpanId() + " "
            + span.getParentSpanId());
      }
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
