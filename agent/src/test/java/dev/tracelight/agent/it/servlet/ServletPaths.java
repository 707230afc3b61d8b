package dev.tracelight.agent.it.servlet;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The mappings {@code Setup} gives the plain servlet, and the requests every container app sends to itself. */
public final class ServletPaths {
  /** Path, exact, extension and (with the filter answering) guarded path mappings of the plain servlet. */
  static final String[] PLAIN_MAPPINGS = {"/plain/*", "/hello", "*.do", "/secure/*"};

  /** One request per case the servlet ITs assert, all under the context path. */
  public static final String[] SERVLET_REQUESTS = {"/plain/hello", "/hello", "/report.do", "/async",
      "/async-dispatch", "/forward", "/unavailable", "/secure/data", "/fail", "/other/page"};

  /** Where the Tomcat and Undertow apps send the 503 of {@code /unavailable}: an ERROR dispatch to {@code Plain}. */
  public static final String ERROR_PAGE = "/hello";

  private ServletPaths() {}

  /**
   * Sends each GET (with forwarding and tenant headers) and prints {@code <path> <status> <first line of the body>}.
   */
  public static void send(String base, String... paths) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    for (String path : paths) {
      HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
          .header("X-Forwarded-For", "203.0.113.9, 10.0.0.1")
          .header("X-Tenant", "acme")
          .build();
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      String body = response.body().lines().findFirst().orElse("");
      System.out.println(path + " " + response.statusCode() + " " + body);
    }
  }
}
