package dev.tracelight.agent.it.apachehttpclient5;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.core5.concurrent.FutureCallback;

/**
 * HttpClient 5's async client, once through the returned Future (no callback) and once with a callback. Only API
 * present in 5.0 ({@code new SimpleHttpRequest(method, URI)}, not 5.1's {@code SimpleRequestBuilder}).
 */
final class AsyncClient {
  private AsyncClient() {}

  static void call(String base) throws Exception {
    try (CloseableHttpAsyncClient client = HttpAsyncClients.createDefault()) {
      client.start();
      SimpleHttpResponse response =
          client.execute(new SimpleHttpRequest("GET", URI.create(base + "/async-items")), null).get();
      System.out.println("ASYNC " + response.getCode() + " " + response.getBodyText());
      CompletableFuture<String> answered = new CompletableFuture<>();
      client.execute(new SimpleHttpRequest("GET", URI.create(base + "/async-callback")),
          new FutureCallback<SimpleHttpResponse>() {
            @Override
            public void completed(SimpleHttpResponse result) {
              answered.complete(result.getCode() + " " + result.getBodyText());
            }

            @Override
            public void failed(Exception e) {
              answered.completeExceptionally(e);
            }

            @Override
            public void cancelled() {
              answered.cancel(false);
            }
          });
      System.out.println("ASYNC-CALLBACK " + answered.get());
    }
  }
}
