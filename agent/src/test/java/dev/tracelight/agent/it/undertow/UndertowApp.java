package dev.tracelight.agent.it.undertow;

import dev.tracelight.agent.it.servlet.ServletPaths;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.servlet.Servlets;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.DeploymentManager;
import java.net.InetSocketAddress;
import java.util.EventListener;

/**
 * Undertow with the servlets and filter of {@code JavaxServlets}/{@code JakartaServlets} (arg {@code javax}: Undertow
 * 2.2, {@code jakarta}: 2.3), with an error page for 503, under the context path {@value #CONTEXT_PATH}, driven by
 * itself; prints {@code PORT <port>} and {@code <path> <status> <body>} per request, then exits. Compiled against 2.3,
 * it uses only Undertow methods whose signatures do not name the servlet API, so it runs on 2.2 too; the servlet
 * package's {@code Setup} listener registers everything through the Servlet API.
 */
public final class UndertowApp {
  static final String CONTEXT_PATH = "/shop";

  private UndertowApp() {}

  public static void main(String[] args) throws Exception {
    String servlets = ServletPaths.class.getPackageName()
        + ("javax".equals(args[0]) ? ".JavaxServlets$Setup" : ".JakartaServlets$Setup");
    DeploymentInfo deployment = Servlets.deployment()
        .setClassLoader(UndertowApp.class.getClassLoader())
        .setContextPath(CONTEXT_PATH)
        .setDeploymentName("shop")
        .addListener(Servlets.listener(Class.forName(servlets).asSubclass(EventListener.class)))
        .addErrorPage(Servlets.errorPage(ServletPaths.ERROR_PAGE, 503));
    DeploymentManager manager = Servlets.defaultContainer().addDeployment(deployment);
    manager.deploy();
    Undertow server = Undertow.builder()
        .addHttpListener(0, "127.0.0.1")
        .setHandler(Handlers.path().addPrefixPath(CONTEXT_PATH, manager.start()))
        .build();
    server.start();
    int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    System.out.println("PORT " + port);
    ServletPaths.send("http://127.0.0.1:" + port + CONTEXT_PATH, ServletPaths.SERVLET_REQUESTS);
    server.stop();
    manager.stop();
    System.exit(0);
  }
}
