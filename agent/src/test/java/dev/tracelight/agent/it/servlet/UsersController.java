package dev.tracelight.agent.it.servlet;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Routes with a template, a handler that throws, and one whose exception the controller turns into a 400.
 * Only API present in both Spring 5 and 6 (e.g. {@code status(int)}, not {@code status(HttpStatusCode)}). */
@RestController
public class UsersController {
  @GetMapping("/users/{id}")
  public ResponseEntity<String> user(@PathVariable("id") String id) {
    return ResponseEntity.ok().header("X-Served-By", "spring").body("user " + id);
  }

  @GetMapping("/users/{id}/fail")
  public String fail(@PathVariable("id") String id) {
    throw new IllegalStateException("no user " + id);
  }

  @GetMapping("/handled")
  public String handled() {
    throw new IllegalArgumentException("bad request");
  }

  @ExceptionHandler(IllegalArgumentException.class)
  public ResponseEntity<String> badRequest(IllegalArgumentException e) {
    return ResponseEntity.status(400).body(e.getMessage());
  }
}
