package dev.tracelight.agent.it.reactive;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import reactor.core.Disposable;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Spring WebFlux on Reactor Netty, calling a plain Reactor Netty backend, driven by java.net.http requests and by
 * Reactor Netty's own HttpClient; prints {@code <name> <status> <body>} per request, {@code PORT}, {@code BACKEND},
 * {@code CLOSED} (a port nobody listens on) and {@code REFUSED <exception class>}, then exits. A request to
 * {@code /hang} is cancelled by the caller once the backend has it. Uses only API shared by
 * Reactor Netty 1.0/Spring 5.3 and Reactor Netty 1.2/Spring 6.2, so one compiled class runs on both.
 */
public final class ReactiveApp {
  private ReactiveApp() {}

  public static void main(String[] args) throws Exception {
    CountDownLatch hangArrived = new CountDownLatch(1);
    CountDownLatch hangCancelled = new CountDownLatch(1);
    DisposableServer backend = HttpServer.create().host("127.0.0.1").port(0)
        .route(routes -> routes
            .get("/backend/{name}", (request, response) ->
                response.sendString(Mono.just("backend " + request.param("name"))))
            .get("/moved", (request, response) -> response.sendRedirect("/backend/moved"))
            .get("/broken", (request, response) -> response.status(503).send())
            .get("/hang", (request, response) -> response.sendString(Mono.<String>never()
                .doOnSubscribe(subscription -> hangArrived.countDown())
                .doOnCancel(hangCancelled::countDown))))
        .bindNow();
    String backendUrl = "http://127.0.0.1:" + backend.port();
    System.setProperty("backend.url", backendUrl);
    System.out.println("BACKEND " + backend.port());

    AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext(WebConfig.class);
    DisposableServer server = HttpServer.create().host("127.0.0.1").port(0)
        .handle(new ReactorHttpHandlerAdapter(WebHttpHandlerBuilder.applicationContext(context).build()))
        .bindNow();
    String serverUrl = "http://127.0.0.1:" + server.port();
    System.out.println("PORT " + server.port());

    HttpClient client = HttpClient.newHttpClient();
    for (String path : new String[] {"/users/42?verbose=true", "/fn/items/7", "/chain/1", "/fail/9"}) {
      HttpRequest request = HttpRequest.newBuilder(URI.create(serverUrl + path))
          .header("X-Forwarded-For", "203.0.113.9, 10.0.0.1")
          .header("X-Tenant", "acme")
          .build();
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      System.out.println(path + " " + response.statusCode() + " " + response.body());
    }
    // both are in flight at once: each handler waits for the other before calling the backend
    CompletableFuture<HttpResponse<String>> a = client.sendAsync(
        HttpRequest.newBuilder(URI.create(serverUrl + "/pair/a")).build(), HttpResponse.BodyHandlers.ofString());
    CompletableFuture<HttpResponse<String>> b = client.sendAsync(
        HttpRequest.newBuilder(URI.create(serverUrl + "/pair/b")).build(), HttpResponse.BodyHandlers.ofString());
    System.out.println("/pair/a " + a.get().statusCode() + " " + a.get().body());
    System.out.println("/pair/b " + b.get().statusCode() + " " + b.get().body());

    reactor.netty.http.client.HttpClient direct = reactor.netty.http.client.HttpClient.create();
    System.out.println("direct " + get(direct, backendUrl + "/backend/direct"));
    System.out.println("redirect " + get(direct.followRedirect(true), backendUrl + "/moved"));
    System.out.println("broken " + get(direct, backendUrl + "/broken"));
    // the caller gives up while the backend is still working: both spans end, without a status
    Disposable hanging = direct.get().uri(backendUrl + "/hang").responseSingle((response, body) -> body.asString())
        .subscribe();
    System.out.println("hang arrived " + hangArrived.await(20, TimeUnit.SECONDS));
    hanging.dispose();
    System.out.println("hang cancelled " + hangCancelled.await(20, TimeUnit.SECONDS));
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    System.out.println("CLOSED " + closed);
    try {
      get(direct, "http://127.0.0.1:" + closed + "/nobody");
    } catch (RuntimeException e) {
      System.out.println("REFUSED " + Exceptions.unwrap(e).getClass().getName());
    }

    server.disposeNow();
    backend.disposeNow();
    context.close();
    System.exit(0);
  }

  private static String get(reactor.netty.http.client.HttpClient client, String url) {
    return client.get().uri(url)
        .responseSingle((response, body) -> body.asString().defaultIfEmpty("")
            .map(text -> response.status().code() + " " + text))
        .block();
  }
}
