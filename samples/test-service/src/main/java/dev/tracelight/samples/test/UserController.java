package dev.tracelight.samples.test;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /users/{id}}: Redis first, then test1; the {@code X-Cache} header says which (hit, miss, off). */
@RestController
final class UserController {
  private final UserCache cache;
  private final UserClient users;

  UserController(UserCache cache, UserClient users) {
    this.cache = cache;
    this.users = users;
  }

  @GetMapping("/")
  String index() {
    return "test: GET /users/{id} reads a user through the Redis cache from test1\n";
  }

  @GetMapping("/users/{id}")
  ResponseEntity<String> user(@PathVariable("id") long id) {
    String cached = cache.get(id);
    if (cached != null) {
      return json(ResponseEntity.ok().header("X-Cache", "hit"), cached);
    }
    ResponseEntity<String> fetched = users.user(id);
    if (fetched.getStatusCode().is2xxSuccessful() && fetched.getBody() != null) {
      cache.put(id, fetched.getBody());
    }
    return json(ResponseEntity.status(fetched.getStatusCode()).header("X-Cache", cache.enabled() ? "miss" : "off"),
        fetched.getBody());
  }

  private static ResponseEntity<String> json(ResponseEntity.BodyBuilder response, String body) {
    return response.contentType(MediaType.APPLICATION_JSON).body(body);
  }
}
