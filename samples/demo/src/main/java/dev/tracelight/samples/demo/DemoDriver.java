package dev.tracelight.samples.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The demo's scripted part: calls service "test" a few times, waits until their traces have arrived whole at
 * collector-lite's trace view, and prints each as a tree. With {@code --follow} it then keeps printing new traces.
 *
 * <pre>java -cp demo.jar:lib/* dev.tracelight.samples.demo.DemoDriver --service URL --traceview URL [--follow]</pre>
 */
public final class DemoDriver {
  /** A miss, a hit, another user, and an unknown one (404 through both services). */
  private static final List<String> PATHS = List.of("/users/1", "/users/1", "/users/2", "/users/99");
  private static final String ROOT_SERVICE = "test";
  private static final long SETTLE_MILLIS = 1_000;
  private static final long WAIT_MILLIS = 30_000;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final PrintStream out;
  private final String service;
  private final TraceView view;
  private final Set<String> printed = new HashSet<>();

  private DemoDriver(PrintStream out, String service, TraceView view) {
    this.out = out;
    this.service = service;
    this.view = view;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    boolean follow = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--service", "--traceview" -> {
          if (i + 1 == args.length) {
            usage(args[i] + " needs a URL");
          }
          options.put(args[i], args[++i]);
        }
        case "--follow" -> follow = true;
        default -> usage("unknown option " + args[i]);
      }
    }
    if (!options.containsKey("--service") || !options.containsKey("--traceview")) {
      usage("--service and --traceview are required");
    }
    DemoDriver driver = new DemoDriver(System.out, options.get("--service"), TraceView.at(options.get("--traceview")));
    int traces = driver.sendRequests();
    if (!driver.printTraces(traces)) {
      System.exit(1);
    }
    if (follow) {
      driver.out.printf("==> up until Ctrl-C. Trace view: %s   Try: curl %s/users/3%n"
          + "    (new traces are printed here as they arrive)%n", driver.view.traceUrl("").replaceAll("trace/$", ""),
          driver.service);
      driver.follow();
    }
  }

  private int sendRequests() throws IOException, InterruptedException {
    int sent = 0;
    for (String path : PATHS) {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(service + path)).build(),
          HttpResponse.BodyHandlers.ofString());
      out.printf("    GET %s -> %d  X-Cache: %s  %s%n", path, response.statusCode(),
          response.headers().firstValue("X-Cache").orElse("-"), response.body());
      sent++;
    }
    return sent;
  }

  /** Waits for {@code expected} traces rooted at "test", complete (no new span for a second), and prints them. */
  private boolean printTraces(int expected) throws IOException, InterruptedException {
    long deadline = System.currentTimeMillis() + WAIT_MILLIS;
    int lastSpans = -1;
    long stableSince = System.currentTimeMillis();
    List<JsonNode> traces = view.rootedAt(ROOT_SERVICE);
    while (System.currentTimeMillis() < deadline) {
      traces = view.rootedAt(ROOT_SERVICE);
      int spans = traces.stream().mapToInt(t -> t.path("spanCount").asInt()).sum();
      if (spans != lastSpans) {
        lastSpans = spans;
        stableSince = System.currentTimeMillis();
      } else if (traces.size() >= expected && System.currentTimeMillis() - stableSince >= SETTLE_MILLIS) {
        break;
      }
      Thread.sleep(200);
    }
    int spans = traces.stream().mapToInt(t -> t.path("spanCount").asInt()).sum();
    out.printf("%d spans in %d traces%n", spans, traces.size());
    for (JsonNode summary : traces) {
      print(summary);
    }
    if (traces.size() < expected) {
      out.printf("only %d of %d traces arrived within %d s: is the agent exporting? (see the services' logs)%n",
          traces.size(), expected, WAIT_MILLIS / 1000);
      return false;
    }
    return true;
  }

  /** Prints traces that arrive later (requests from a browser or curl), each once it is complete. */
  private void follow() throws IOException, InterruptedException {
    Map<String, Integer> pending = new HashMap<>();
    while (true) {
      Thread.sleep(SETTLE_MILLIS);
      for (JsonNode summary : view.rootedAt(ROOT_SERVICE)) {
        String id = summary.path("traceId").asText();
        int spans = summary.path("spanCount").asInt();
        if (!printed.contains(id) && Integer.valueOf(spans).equals(pending.put(id, spans))) {
          print(summary);
          pending.remove(id);
        }
      }
    }
  }

  private void print(JsonNode summary) throws IOException, InterruptedException {
    String id = summary.path("traceId").asText();
    printed.add(id);
    JsonNode trace = view.trace(id);
    out.printf("trace %s  %s%n", id, view.traceUrl(id));
    for (String line : TraceTree.lines(trace)) {
      out.println("  " + line);
    }
  }

  private static void usage(String problem) {
    System.err.println("DemoDriver: " + problem);
    System.err.println("usage: DemoDriver --service http://127.0.0.1:8000 --traceview http://127.0.0.1:16686 [--follow]");
    System.exit(2);
  }
}
