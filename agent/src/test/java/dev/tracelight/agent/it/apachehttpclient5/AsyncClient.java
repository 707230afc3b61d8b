package dev.tracelight.agent.it.apachehttpclient5;

import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;

/** HttpClient 5's async client (newest line only: {@code SimpleRequestBuilder} is 5.1+), with no callback. */
final class AsyncClient {
  private AsyncClient() {}

  static void call(String base) throws Exception {
    try (CloseableHttpAsyncClient client = HttpAsyncClients.createDefault()) {
      client.start();
      SimpleHttpResponse response = client.execute(SimpleRequestBuilder.get(base + "/async-items").build(), null)
          .get();
      System.out.println("ASYNC " + response.getCode() + " " + response.getBodyText());
    }
  }
}
