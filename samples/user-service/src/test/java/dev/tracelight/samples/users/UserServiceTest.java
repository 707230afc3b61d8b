package dev.tracelight.samples.users;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

class UserServiceTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static ConfigurableApplicationContext app;
  private static String base;

  @BeforeAll
  static void start() {
    app = UserServiceApplication.application().run("--server.port=0");
    base = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void answersAUserFromTheDatabase() throws Exception {
    HttpResponse<String> response = get("/users/2");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"id\":2,\"name\":\"Grace Hopper\",\"email\":\"grace@example.org\"}");
  }

  @Test
  void listsEveryUserInIdOrder() throws Exception {
    assertThat(get("/users").body()).startsWith("[{\"id\":1,").contains("{\"id\":3,\"name\":\"Alan Turing\"");
  }

  @Test
  void answers404WithTheReasonForAnUnknownUser() throws Exception {
    HttpResponse<String> response = get("/users/99");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).isEqualTo("{\"error\":\"no user with id 99\"}");
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
