package dev.tracelight.agent.it.apachehttpclient5;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;

/**
 * Apache HttpClient 5 classic calls to a JDK HttpServer in the same JVM: an absolute GET, a POST given target host and
 * relative path, a 404, a refused connection and two async client calls ({@link AsyncClient}); with arg
 * {@code spring}, the same server through Spring's RestTemplate and RestClient over HttpClient 5
 * ({@link SpringClients}). Prints {@code <label> <outcome>} lines.
 */
public final class HttpClient5App {
  private HttpClient5App() {}

  public static void main(String[] args) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      byte[] body = ("got " + exchange.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
      int status = exchange.getRequestURI().getPath().equals("/missing") ? 404
          : exchange.getRequestMethod().equals("POST") ? 201 : 200;
      exchange.sendResponseHeaders(status, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    int port = server.getAddress().getPort();
    System.out.println("PORT " + port);
    String base = "http://127.0.0.1:" + port;
    try (CloseableHttpClient client = HttpClients.createDefault()) {
      System.out.println("GET " + client.execute(new HttpGet(base + "/items?page=2"), response -> {
        EntityUtils.consume(response.getEntity());
        return response.getCode();
      }));
      ClassicHttpRequest post = new HttpPost("/orders");
      post.setEntity(new StringEntity("{}"));
      System.out.println("POST " + client.execute(new HttpHost("http", "127.0.0.1", port), post, response -> {
        EntityUtils.consume(response.getEntity());
        return response.getCode();
      }));
      System.out.println("MISSING " + client.execute(new HttpGet(base + "/missing"), response -> {
        EntityUtils.consume(response.getEntity());
        return response.getCode();
      }));
      int closed;
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        closed = socket.getLocalPort();
      }
      try {
        client.execute(new HttpGet("http://127.0.0.1:" + closed + "/refused"), response -> response.getCode());
      } catch (java.io.IOException e) {
        System.out.println("REFUSED " + closed + " " + e.getClass().getName());
      }
      AsyncClient.call(base);
      if (args.length > 0 && args[0].equals("spring")) {
        SpringClients.call(client, base);
      }
    }
    server.stop(0);
    System.exit(0);
  }
}
