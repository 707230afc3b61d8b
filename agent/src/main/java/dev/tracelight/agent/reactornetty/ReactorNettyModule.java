package dev.tracelight.agent.reactornetty;

import dev.tracelight.agent.InstrumentationModule;
import dev.tracelight.agent.LibraryShape;
import dev.tracelight.agent.TypeInstrumentation;
import java.util.List;

/**
 * Reactor Netty 1.x HTTP: SERVER spans for {@code HttpServer} (so WebFlux on it, which adds the route) and CLIENT
 * spans for {@code HttpClient} (so Spring's {@code WebClient} on it): one place for both, whoever drives them.
 */
public final class ReactorNettyModule extends InstrumentationModule {
  static final String SERVER_HANDLE = "reactor.netty.http.server.HttpServer$HttpServerHandle";
  static final String ROUTE_HANDLER = "reactor.netty.http.server.DefaultHttpServerRoutes$HttpRouteHandler";
  static final String CHANNEL_OPERATIONS = "reactor.netty.channel.ChannelOperations";
  static final String CLIENT_HANDLER = "reactor.netty.http.client.HttpClientConnect$HttpClientHandler";
  static final String CLIENT_CONNECT = "reactor.netty.http.client.HttpClientConnect$MonoHttpConnect";
  static final String CLIENT_OBSERVER = "reactor.netty.http.client.HttpClientConnect$HttpIOHandlerObserver";
  private static final LibraryShape SHAPE = LibraryShape.builder()
      .method(SERVER_HANDLE, "onStateChange", 2)
      .method(ROUTE_HANDLER, "apply", 2)
      .method(CHANNEL_OPERATIONS, "terminate", 0)
      .type("reactor.netty.http.server.HttpServerResponse")
      .type("reactor.netty.http.server.HttpServerState")
      .method(CLIENT_CONNECT, "subscribe", 1)
      .method(CLIENT_HANDLER, "<init>", 1)
      .method(CLIENT_HANDLER, "requestWithBody", 1)
      .method(CLIENT_HANDLER, "test", 1)
      .method(CLIENT_OBSERVER, "onStateChange", 2)
      .type("reactor.netty.http.client.HttpClientState")
      .build();

  public ReactorNettyModule() {
    super("reactor-netty");
  }

  @Override
  public LibraryShape shape() {
    return SHAPE;
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return List.of(new HttpServerHandleInstrumentation(), new HttpRouteHandlerInstrumentation(),
        new ChannelOperationsInstrumentation(), new MonoHttpConnectInstrumentation(),
        new HttpClientHandlerInstrumentation(), new HttpIoHandlerObserverInstrumentation());
  }
}
