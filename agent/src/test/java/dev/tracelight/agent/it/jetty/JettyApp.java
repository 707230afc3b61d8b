package dev.tracelight.agent.it.jetty;

import dev.tracelight.agent.it.servlet.ServletPaths;
import java.util.EventListener;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Jetty with the servlets and filter of {@code JakartaServlets} or {@code JavaxServlets}, registered by their
 * {@code Setup} listener, driven by itself; prints {@code PORT <port>} and {@code <path> <status> <body>} per request,
 * then exits. Args: the servlet context handler class, {@code org.eclipse.jetty.ee10.servlet.ServletContextHandler}
 * (Jetty 12) or {@code org.eclipse.jetty.servlet.ServletContextHandler} (Jetty 9.4–11), and {@code jakarta} or
 * {@code javax}. Compiled against Jetty 12, it names only classes and methods all of them have; the handler is made
 * reflectively.
 */
public final class JettyApp {
  private JettyApp() {}

  public static void main(String[] args) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    Class<?> handlerType = Class.forName(args[0]);
    Object context = handlerType.getConstructor().newInstance();
    handlerType.getMethod("setContextPath", String.class).invoke(context, "/");
    String servlets = "javax".equals(args[1]) ? ".JavaxServlets$Setup" : ".JakartaServlets$Setup";
    EventListener setup = (EventListener) Class.forName(ServletPaths.class.getPackageName() + servlets)
        .getConstructor().newInstance();
    handlerType.getMethod("addEventListener", EventListener.class).invoke(context, setup);
    server.setHandler((Handler) context);
    server.start();
    int port = connector.getLocalPort();
    System.out.println("PORT " + port);
    ServletPaths.send("http://127.0.0.1:" + port, ServletPaths.SERVLET_REQUESTS);
    server.stop();
    System.exit(0);
  }
}
