package dev.tracelight.agent.it.apachehttpclient4;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.apache.http.HttpHost;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.util.EntityUtils;

/**
 * Apache HttpClient 4 calls to a JDK HttpServer in the same JVM: an absolute GET, a POST given target host and
 * relative path, a 404 and a refused connection. Prints {@code <label> <outcome>} lines; API common to 4.3 and 4.5.
 */
public final class HttpClient4App {
  private HttpClient4App() {}

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
      System.out.println("GET " + status(client.execute(new HttpGet(base + "/items?page=2"))));
      System.out.println("POST " + status(client.execute(new HttpHost("127.0.0.1", port, "http"),
          new HttpPost("/orders"))));
      System.out.println("MISSING " + status(client.execute(new HttpGet(base + "/missing"))));
      int closed;
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        closed = socket.getLocalPort();
      }
      try {
        client.execute(new HttpGet("http://127.0.0.1:" + closed + "/refused"));
      } catch (IOException e) {
        System.out.println("REFUSED " + closed + " " + e.getClass().getName());
      }
    }
    server.stop(0);
    System.exit(0);
  }

  private static int status(CloseableHttpResponse response) throws IOException {
    try (response) {
      EntityUtils.consume(response.getEntity());
      return response.getStatusLine().getStatusCode();
    }
  }
}
