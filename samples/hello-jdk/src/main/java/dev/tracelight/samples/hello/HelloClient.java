package dev.tracelight.samples.hello;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Calls a URL a few times and prints each answer. Usage: {@code HelloClient <url> [times]}. Exits 1 on any failure.
 */
public final class HelloClient {
  private HelloClient() {}

  public static void main(String[] args) throws Exception {
    URI uri = URI.create(args[0]);
    int times = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    HttpClient client = HttpClient.newHttpClient();
    for (int i = 0; i < times; i++) {
      HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).build(),
          HttpResponse.BodyHandlers.ofString());
      System.out.print("GET " + uri.getPath() + " -> " + response.statusCode() + " " + response.body());
      if (response.statusCode() != 200) {
        System.exit(1);
      }
    }
  }
}
