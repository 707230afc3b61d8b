package dev.tracelight.agent.it.jetty;

import dev.tracelight.agent.it.servlet.JakartaServlets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** Jetty 12 (ee10, jakarta.servlet 6) with the plain and async servlets of the Tomcat app, driven by itself. */
public final class JettyApp {
  private JettyApp() {}

  public static void main(String[] args) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    context.addServlet(JakartaServlets.Plain.class, "/plain/*");
    context.addServlet(JakartaServlets.Async.class, "/async").setAsyncSupported(true);
    server.setHandler(context);
    server.start();
    int port = connector.getLocalPort();
    System.out.println("PORT " + port);
    HttpClient client = HttpClient.newHttpClient();
    for (String path : new String[] {"/plain/hello", "/async"}) {
      HttpResponse<String> response = client.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
          HttpResponse.BodyHandlers.ofString());
      System.out.println(path + " " + response.statusCode() + " " + response.body());
    }
    server.stop();
    System.exit(0);
  }
}
