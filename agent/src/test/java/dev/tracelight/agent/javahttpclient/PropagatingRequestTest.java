package dev.tracelight.agent.javahttpclient;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The request HttpClient sends instead of the application's: the same request, plus the propagation headers. */
class PropagatingRequestTest {
  private HttpServer server;
  private final Map<String, String> received = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

  @BeforeEach
  void startEchoServer() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      exchange.getRequestHeaders().forEach((name, values) -> received.put(name, String.join(",", values)));
      received.put("method", exchange.getRequestMethod());
      received.put("body", new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  @Test
  void sendsTheApplicationsRequestWithThePropagationHeadersReplacingStaleOnes() throws Exception {
    HttpRequest original = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/x"))
        .POST(HttpRequest.BodyPublishers.ofString("payload"))
        .header("X-Custom", "kept")
        .header("Traceparent", "00-11111111111111111111111111111111-2222222222222222-01")
        .timeout(Duration.ofSeconds(7))
        .version(HttpClient.Version.HTTP_1_1)
        .build();
    String traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    HttpRequest sent = PropagatingRequest.of(original, Map.of("traceparent", traceparent));
    HttpResponse<Void> response = HttpClient.newHttpClient().send(sent, HttpResponse.BodyHandlers.discarding());

    assertThat(response.statusCode()).isEqualTo(204);
    assertThat(received).containsEntry("method", "POST").containsEntry("body", "payload")
        .containsEntry("X-Custom", "kept").containsEntry("traceparent", traceparent);
    assertThat(sent.headers().allValues("traceparent")).containsExactly(traceparent);
    assertThat(sent.timeout()).contains(Duration.ofSeconds(7));
    assertThat(sent.version()).contains(HttpClient.Version.HTTP_1_1);
    assertThat(sent.uri()).isEqualTo(original.uri());
    assertThat(original.headers().firstValue("traceparent"))
        .contains("00-11111111111111111111111111111111-2222222222222222-01");
  }
}
