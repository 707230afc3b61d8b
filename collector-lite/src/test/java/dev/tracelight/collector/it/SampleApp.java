package dev.tracelight.collector.it;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.logging.Logger;

/**
 * A small JDK HttpServer app for the official agent to trace (run in its own JVM by OfficialAgentTest): it calls its own
 * {@code /hello} N times with the JDK HttpClient, logs one line, and exits.
 */
public final class SampleApp {
  private SampleApp() {}

  public static void main(String[] args) throws Exception {
    int requests = Integer.parseInt(args[0]);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/hello", exchange -> {
      byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    HttpClient client = HttpClient.newHttpClient();
    URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hello");
    for (int i = 0; i < requests; i++) {
      HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("unexpected status " + response.statusCode());
      }
    }
    Logger.getLogger("sample-app").info("served " + requests + " requests");
    server.stop(0);
  }
}
