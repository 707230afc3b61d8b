package dev.tracelight.agent.it.logback;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import com.sun.net.httpserver.HttpServer;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Logback application whose pattern prints the MDC's trace_id, span_id and trace_flags: one line outside any span,
 * then two (INFO, and ERROR with an exception) inside the SERVER span of a request it makes to itself.
 */
public final class LogbackApp {
  private LogbackApp() {}

  public static void main(String[] args) throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("LOG %level trace_id=%X{trace_id} span_id=%X{span_id} trace_flags=%X{trace_flags} %logger"
        + " %msg%n");
    encoder.start();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setEncoder(encoder);
    console.start();
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(console);

    Logger log = LoggerFactory.getLogger("shop.orders");
    log.info("starting without a span");
    log.debug("below the level: neither printed nor exported");
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/order", exchange -> {
      log.info("order {} accepted", 42);
      log.error("payment failed", new IllegalStateException("card declined"));
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
