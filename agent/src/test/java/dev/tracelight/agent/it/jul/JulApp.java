package dev.tracelight.agent.it.jul;

import com.sun.net.httpserver.HttpServer;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A java.util.logging application: one record outside any span, then INFO (with a parameter) and SEVERE with an
 * exception inside the SERVER span of a request it makes to itself.
 */
public final class JulApp {
  private static final Logger LOG = Logger.getLogger("shop.orders");

  private JulApp() {}

  public static void main(String[] args) throws Exception {
    LOG.info("starting without a span");
    LOG.fine("below the level: not exported");
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/order", exchange -> {
      LOG.log(Level.INFO, "order {0} accepted", 42);
      LOG.log(Level.SEVERE, "payment failed", new IllegalStateException("card declined"));
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    server.start();
    try {
      HttpURLConnection connection = (HttpURLConnection) URI.create(
          "http://127.0.0.1:" + server.getAddress().getPort() + "/order").toURL().openConnection();
      System.out.println("STATUS=" + connection.getResponseCode());
    } finally {
      server.stop(0);
    }
  }
}
