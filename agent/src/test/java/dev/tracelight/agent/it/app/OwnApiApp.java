package dev.tracelight.agent.it.app;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * An application that brings its own OpenTelemetry API (on its class path) and uses it, while it also makes an HTTP
 * call the agent traces. Prints where its API classes come from and what the API gave it.
 */
public final class OwnApiApp {
  private OwnApiApp() {}

  public static void main(String[] args) throws Exception {
    OpenTelemetry api = GlobalOpenTelemetry.get();
    Span span = api.getTracer("own-app").spanBuilder("own-work").startSpan();
    span.end();
    System.out.println("API-LOADER " + (OpenTelemetry.class.getClassLoader() == ClassLoader.getSystemClassLoader()
        ? "app" : String.valueOf(OpenTelemetry.class.getClassLoader())));
    System.out.println("API-SPAN-VALID " + span.getSpanContext().isValid());
    try {
      HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(args[0])).build(),
          HttpResponse.BodyHandlers.discarding());
    } catch (java.io.IOException expected) {
      // nothing listens there; the CLIENT span records the failure
    }
    System.out.println("DONE");
    System.exit(0);
  }
}
