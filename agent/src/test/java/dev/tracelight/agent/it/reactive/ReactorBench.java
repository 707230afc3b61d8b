package dev.tracelight.agent.it.reactive;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * What the reactor module costs per signal: a Reactor Netty handler (so, under the agent, subscribed with a SERVER
 * span current) runs a synchronous pipeline of three operators over {@code n} elements and answers the nanoseconds it
 * took; prints the best of each round of requests as {@code ns/element}. Run it with and without the agent (and with
 * {@code OTEL_INSTRUMENTATION_REACTOR_ENABLED=false}); not a test.
 */
public final class ReactorBench {
  private ReactorBench() {}

  public static void main(String[] args) throws Exception {
    int elements = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    DisposableServer server = HttpServer.create().host("127.0.0.1").port(0)
        .route(routes -> routes.get("/work", (request, response) -> response.sendString(Mono.fromSupplier(() -> {
          long start = System.nanoTime();
          AtomicLong sum = new AtomicLong();
          // synchronous on this thread: Flux.range emits while subscribe() runs (block() is refused on an event loop)
          Flux.range(0, elements).map(i -> (long) i * 2).filter(i -> i % 3 != 0).reduce(0L, Long::sum)
              .subscribe(sum::set);
          return (System.nanoTime() - start) + " " + sum.get();
        }))))
        .bindNow();
    HttpClient client = HttpClient.newHttpClient();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/work")).build();
    for (int round = 0; round < 5; round++) {
      long best = Long.MAX_VALUE;
      for (int i = 0; i < 20; i++) {
        String body = client.send(request, HttpResponse.BodyHandlers.ofString()).body();
        best = Math.min(best, Long.parseLong(body.substring(0, body.indexOf(' '))));
      }
      System.out.printf("round %d: %.1f ns/element%n", round, (double) best / elements);
    }
    server.disposeNow();
    System.exit(0);
  }
}
