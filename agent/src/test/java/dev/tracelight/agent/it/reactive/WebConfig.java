package dev.tracelight.agent.it.reactive;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.config.EnableWebFlux;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * An annotated controller (a member class, so the configuration registers it) and a functional route; the backend's
 * URL comes from the system property {@code backend.url}.
 */
@Configuration
@EnableWebFlux
public class WebConfig {
  @Bean
  public RouterFunction<ServerResponse> items() {
    return RouterFunctions.route(RequestPredicates.GET("/fn/items/{id}"),
        request -> ServerResponse.ok().bodyValue("item " + request.pathVariable("id")));
  }

  @RestController
  public static class Controller {
    private final CountDownLatch bothPairsArrived = new CountDownLatch(2);
    private final String backend = System.getProperty("backend.url");
    private final WebClient webClient = WebClient.create();
    private final HttpClient jdkClient = HttpClient.newHttpClient();

    @GetMapping("/users/{id}")
    public Mono<String> user(@PathVariable("id") String id, ServerHttpResponse response) {
      response.getHeaders().add("X-Served-By", "webflux");
      return Mono.just("user " + id);
    }

    /** Hops a timer, the parallel scheduler and boundedElastic, calls out with two clients, then from an event loop. */
    @GetMapping("/chain/{id}")
    public Mono<String> chain(@PathVariable("id") String id) {
      return Mono.delay(Duration.ofMillis(5))
          .publishOn(Schedulers.parallel())
          .flatMap(tick -> Mono.fromCallable(() -> jdkClient.send(
                  HttpRequest.newBuilder(URI.create(backend + "/backend/jdk-" + id)).build(),
                  HttpResponse.BodyHandlers.ofString()).body())
              .subscribeOn(Schedulers.boundedElastic()))
          .flatMap(first -> webClient.get().uri(backend + "/backend/web-" + id).retrieve().bodyToMono(String.class)
              .map(second -> first + ", " + second))
          // subscribed where the first WebClient response arrived: a Netty event loop, which no executor feeds
          .flatMap(both -> webClient.get().uri(backend + "/backend/again-" + id).retrieve()
              .bodyToMono(String.class).map(third -> both + ", " + third));
    }

    @GetMapping("/pair/{id}")
    public Mono<String> pair(@PathVariable("id") String id) {
      return Mono.fromCallable(() -> {
            bothPairsArrived.countDown();
            return bothPairsArrived.await(20, TimeUnit.SECONDS);
          })
          .subscribeOn(Schedulers.boundedElastic())
          .flatMap(together -> webClient.get().uri(backend + "/backend/pair-" + id).retrieve()
              .bodyToMono(String.class).map(body -> body + (together ? " together" : " alone")));
    }

    @GetMapping("/fail/{id}")
    public Mono<String> fail(@PathVariable("id") String id) {
      return Mono.just(id).publishOn(Schedulers.parallel()).map(value -> {
        throw new IllegalStateException("no user " + value);
      });
    }
  }
}
