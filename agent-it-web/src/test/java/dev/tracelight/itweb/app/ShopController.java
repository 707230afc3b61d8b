package dev.tracelight.itweb.app;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/** Front: /front/{id} asks the backend for the item (RestClient) and its price (WebClient). Backend: /api/…. */
@RestController
public class ShopController {
  private final RestClient restClient;
  private final WebClient webClient;

  public ShopController(RestClient.Builder restClient, WebClient.Builder webClient,
      @Value("${backend.url:http://127.0.0.1:1}") String backend) {
    this.restClient = restClient.baseUrl(backend).build();
    this.webClient = webClient.baseUrl(backend).build();
  }

  @GetMapping("/front/{id}")
  public String front(@PathVariable("id") String id) {
    String item = restClient.get().uri("/api/items/{id}", id).retrieve().body(String.class);
    String price = webClient.get().uri("/api/prices/{id}", id).retrieve().bodyToMono(String.class).block();
    return item + " costs " + price;
  }

  @GetMapping("/api/items/{id}")
  public String item(@PathVariable("id") String id) {
    return "item " + id;
  }

  @GetMapping("/api/prices/{id}")
  public String price(@PathVariable("id") String id) {
    return "4" + id + " EUR";
  }
}
