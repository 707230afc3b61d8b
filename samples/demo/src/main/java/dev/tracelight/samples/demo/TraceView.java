package dev.tracelight.samples.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** collector-lite's trace view JSON API ({@code /api/traces}), see collector-lite/README.md. */
final class TraceView {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI base;

  private TraceView(URI base) {
    this.base = base;
  }

  static TraceView at(String baseUrl) {
    return new TraceView(URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/"));
  }

  String traceUrl(String traceId) {
    return base.resolve("trace/" + traceId).toString();
  }

  /** Summaries of the newest traces whose root span belongs to {@code service}, in order of start. */
  List<JsonNode> rootedAt(String service) throws IOException, InterruptedException {
    JsonNode answer = get("api/traces?limit=1000&service=" + URLEncoder.encode(service, StandardCharsets.UTF_8));
    List<JsonNode> traces = new ArrayList<>();
    for (JsonNode trace : answer.path("traces")) {
      if (service.equals(trace.path("rootService").asText())) {
        traces.add(trace);
      }
    }
    traces.sort(Comparator.comparingLong(trace -> Long.parseLong(trace.path("startTimeUnixNano").asText("0"))));
    return traces;
  }

  JsonNode trace(String traceId) throws IOException, InterruptedException {
    return get("api/traces/" + traceId);
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException closedWhileIdle) {
      // A kept-alive connection the server closed between two polls: a new one is the cure.
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    }
    if (response.statusCode() != 200) {
      throw new IOException("GET " + request.uri() + " answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }
}
