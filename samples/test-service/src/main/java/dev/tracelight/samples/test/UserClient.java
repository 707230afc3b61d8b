package dev.tracelight.samples.test;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/** Calls test1 over HTTP (Spring's RestClient on the JDK's HttpClient). */
@Component
final class UserClient {
  private final RestClient http;

  UserClient(@Value("${test.user-service}") String baseUrl, RestClient.Builder builder) {
    this.http = builder.baseUrl(baseUrl)
        // test1's 4xx answers are passed on as they are, not turned into exceptions.
        .defaultStatusHandler(HttpStatusCode::is4xxClientError, (request, response) -> { })
        .build();
  }

  ResponseEntity<String> user(long id) {
    return http.get().uri("/users/{id}", id).retrieve().toEntity(String.class);
  }
}
