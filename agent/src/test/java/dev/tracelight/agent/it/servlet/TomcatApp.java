package dev.tracelight.agent.it.servlet;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.ErrorPage;

/**
 * Embedded Tomcat with the servlets and filter of {@link JavaxServlets}/{@link JakartaServlets} (registered by their
 * {@code Setup} listener, with an error page for 503) and Spring MVC's DispatcherServlet as the default servlet,
 * driven by java.net.http
 * requests to itself; prints {@code <path> <status> <body>} per request and {@code PORT <port>}, then exits.
 * Arg {@code javax} (Tomcat 9 + Spring 5) or {@code jakarta} (Tomcat 10+/Spring 6+): only the servlet classes differ.
 * Uses only Tomcat methods whose signatures are the same in 9 and 11, so one compiled class runs on both.
 */
public final class TomcatApp {
  static final String[] SPRING_PATHS = {"/users/42?verbose=true", "/users/7/fail", "/handled"};

  private TomcatApp() {}

  public static void main(String[] args) throws Exception {
    String servlets =
        TomcatApp.class.getPackageName() + ("javax".equals(args[0]) ? ".JavaxServlets" : ".JakartaServlets");
    Path baseDir = Files.createTempDirectory("tomcat");
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(baseDir.toString());
    tomcat.setPort(0);
    tomcat.getConnector();
    Context context = tomcat.addContext("", baseDir.toString());
    context.addApplicationListener(servlets + "$Setup");
    ErrorPage unavailable = new ErrorPage();
    unavailable.setErrorCode(503);
    unavailable.setLocation(ServletPaths.ERROR_PAGE);
    context.addErrorPage(unavailable);
    Wrapper spring = Tomcat.addServlet(context, "spring", "org.springframework.web.servlet.DispatcherServlet");
    spring.addInitParameter("contextClass",
        "org.springframework.web.context.support.AnnotationConfigWebApplicationContext");
    spring.addInitParameter("contextConfigLocation", WebConfig.class.getName());
    spring.setLoadOnStartup(1);
    context.addServletMappingDecoded("/", "spring");
    tomcat.start();
    int port = tomcat.getConnector().getLocalPort();
    System.out.println("PORT " + port);

    String base = "http://127.0.0.1:" + port;
    ServletPaths.send(base, SPRING_PATHS);
    ServletPaths.send(base, ServletPaths.SERVLET_REQUESTS);
    tomcat.stop();
    System.exit(0);
  }
}
