package dev.tracelight.agent.it.log4j;

import com.sun.net.httpserver.HttpServer;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A Log4j 2 application (configured by LOG4J_CONFIGURATION_FILE) whose pattern prints trace_id, span_id and
 * trace_flags: one line outside any span, then INFO (classic API) and ERROR with an exception (LogBuilder API) inside
 * the SERVER span of a request it makes to itself.
 */
public final class Log4jApp {
  private Log4jApp() {}

  public static void main(String[] args) throws Exception {
    Logger log = LogManager.getLogger("shop.orders");
    log.info("starting without a span");
    log.debug("below the level: neither printed nor exported");
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/order", exchange -> {
      log.info("order {} accepted", 42);
      log.atError().withThrowable(new IllegalStateException("card declined")).log("payment failed");
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
