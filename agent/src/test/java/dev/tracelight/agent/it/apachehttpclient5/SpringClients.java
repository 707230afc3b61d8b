package dev.tracelight.agent.it.apachehttpclient5;

import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;

/** Spring's blocking clients over Apache HttpClient 5: each call must give exactly one CLIENT span. */
final class SpringClients {
  private SpringClients() {}

  static void call(CloseableHttpClient client, String base) {
    HttpComponentsClientHttpRequestFactory factory = new HttpComponentsClientHttpRequestFactory(client);
    System.out.println("REST-TEMPLATE " + new RestTemplate(factory).getForObject(base + "/rest-template",
        String.class));
    System.out.println("REST-CLIENT " + RestClient.builder().requestFactory(factory).build()
        .get().uri(base + "/rest-client").retrieve().body(String.class));
    System.out.println("REST-TEMPLATE-JDK " + new RestTemplate().getForObject(base + "/rest-template-jdk",
        String.class));
  }
}
