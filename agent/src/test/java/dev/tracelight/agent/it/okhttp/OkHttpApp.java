package dev.tracelight.agent.it.okhttp;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * OkHttp calls to a JDK HttpServer in the same JVM: execute(), enqueue(), a redirect followed by OkHttp itself, a 500
 * and a refused connection. Prints {@code <label> <outcome>} lines; only API common to OkHttp 4 and 5.
 */
public final class OkHttpApp {
  private OkHttpApp() {}

  public static void main(String[] args) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      if (path.equals("/old")) {
        exchange.getResponseHeaders().add("Location", "/new");
        exchange.sendResponseHeaders(302, -1);
      } else {
        byte[] body = ("got " + path).getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(path.equals("/fail") ? 500 : 200, body.length);
        exchange.getResponseBody().write(body);
      }
      exchange.close();
    });
    server.start();
    int port = server.getAddress().getPort();
    String base = "http://127.0.0.1:" + port;
    System.out.println("PORT " + port);
    OkHttpClient client = new OkHttpClient();
    System.out.println("SYNC " + call(client, base + "/items?page=1"));
    CompletableFuture<String> async = new CompletableFuture<>();
    client.newCall(new Request.Builder().url(base + "/async").build()).enqueue(new Callback() {
      @Override
      public void onResponse(Call call, Response response) throws IOException {
        async.complete(response.code() + " " + response.body().string());
      }

      @Override
      public void onFailure(Call call, IOException e) {
        async.completeExceptionally(e);
      }
    });
    System.out.println("ASYNC " + async.get());
    System.out.println("REDIRECT " + call(client, base + "/old"));
    System.out.println("FAIL " + call(client, base + "/fail"));
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    try {
      call(client, "http://127.0.0.1:" + closed + "/refused");
    } catch (IOException e) {
      System.out.println("REFUSED " + closed + " " + e.getClass().getName());
    }
    server.stop(0);
    System.exit(0);
  }

  private static String call(OkHttpClient client, String url) throws IOException {
    try (Response response = client.newCall(new Request.Builder().url(url).build()).execute()) {
      return response.code() + " " + response.body().string();
    }
  }
}
