package dev.tracelight.samples.users;

import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /users} and {@code GET /users/{id}}, straight from the database. */
@RestController
final class UserController {
  private final JdbcTemplate jdbc;

  UserController(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @GetMapping("/users")
  List<User> all() {
    return jdbc.query("SELECT id, name, email FROM users ORDER BY id", (row, n) -> user(row));
  }

  @GetMapping("/users/{id}")
  ResponseEntity<?> one(@PathVariable("id") long id) {
    List<User> found = jdbc.query("SELECT id, name, email FROM users WHERE id = ?", (row, n) -> user(row), id);
    if (found.isEmpty()) {
      return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", "no user with id " + id));
    }
    return ResponseEntity.ok(found.get(0));
  }

  private static User user(java.sql.ResultSet row) throws java.sql.SQLException {
    return new User(row.getLong("id"), row.getString("name"), row.getString("email"));
  }
}
