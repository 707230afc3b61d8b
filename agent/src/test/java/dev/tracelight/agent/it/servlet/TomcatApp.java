package dev.tracelight.agent.it.servlet;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.startup.Tomcat;

/**
 * Embedded Tomcat with a plain servlet, an async servlet and Spring MVC's DispatcherServlet, driven by
 * java.net.http requests to itself; prints {@code <path> <status>} per request and {@code PORT <port>}, then exits.
 * Arg {@code javax} (Tomcat 9 + Spring 5) or {@code jakarta} (Tomcat 10+/Spring 6+): only the servlet classes differ.
 * Uses only Tomcat methods whose signatures are the same in 9 and 11, so one compiled class runs on both.
 */
public final class TomcatApp {
  static final String[] PATHS = {"/users/42?verbose=true", "/plain/hello", "/async", "/users/7/fail", "/handled"};

  private TomcatApp() {}

  public static void main(String[] args) throws Exception {
    String servlets =
        TomcatApp.class.getPackageName() + ("javax".equals(args[0]) ? ".JavaxServlets" : ".JakartaServlets");
    Path base = Files.createTempDirectory("tomcat");
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(base.toString());
    tomcat.setPort(0);
    tomcat.getConnector();
    Context context = tomcat.addContext("", base.toString());
    Tomcat.addServlet(context, "plain", servlets + "$Plain");
    context.addServletMappingDecoded("/plain/*", "plain");
    Wrapper async = Tomcat.addServlet(context, "async", servlets + "$Async");
    async.setAsyncSupported(true);
    context.addServletMappingDecoded("/async", "async");
    Wrapper spring = Tomcat.addServlet(context, "spring", "org.springframework.web.servlet.DispatcherServlet");
    spring.addInitParameter("contextClass",
        "org.springframework.web.context.support.AnnotationConfigWebApplicationContext");
    spring.addInitParameter("contextConfigLocation", WebConfig.class.getName());
    spring.setLoadOnStartup(1);
    context.addServletMappingDecoded("/", "spring");
    tomcat.start();
    int port = tomcat.getConnector().getLocalPort();
    System.out.println("PORT " + port);

    HttpClient client = HttpClient.newHttpClient();
    for (String path : PATHS) {
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .header("X-Forwarded-For", "203.0.113.9, 10.0.0.1")
          .header("X-Tenant", "acme")
          .build();
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      System.out.println(path + " " + response.statusCode() + " " + response.body().length());
    }
    tomcat.stop();
    System.exit(0);
  }
}
