package dev.tracelight.samples.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tracelight.samples.users.UserServiceApplication;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import redis.clients.jedis.Jedis;

/** Service "test" against the real test1 (same JVM) and a real redis-server on a free loopback port. */
class TestServiceTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String REDIS_SERVER = "/usr/bin/redis-server";
  private static ConfigurableApplicationContext users;
  private static String usersBase;

  @BeforeAll
  static void startUserService() {
    users = UserServiceApplication.application().run("--server.port=0");
    usersBase = "http://127.0.0.1:" + users.getEnvironment().getProperty("local.server.port");
  }

  @AfterAll
  static void stopUserService() {
    users.close();
  }

  @Test
  void readsThroughTheRedisCache() throws Exception {
    assumeTrue(Files.isExecutable(Path.of(REDIS_SERVER)), "skipped: needs Debian's redis-server (apt-get install redis-server)");
    int port = freePort();
    Process redis = new ProcessBuilder(REDIS_SERVER, "--port", String.valueOf(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    try (ConfigurableApplicationContext test = start("127.0.0.1:" + port)) {
      awaitRedis(port);
      String base = base(test);

      HttpResponse<String> first = get(base + "/users/1");
      HttpResponse<String> second = get(base + "/users/1");

      assertThat(first.headers().firstValue("X-Cache")).hasValue("miss");
      assertThat(second.headers().firstValue("X-Cache")).hasValue("hit");
      assertThat(second.body()).isEqualTo(first.body())
          .isEqualTo("{\"id\":1,\"name\":\"Ada Lovelace\",\"email\":\"ada@example.org\"}");
      try (Jedis jedis = new Jedis("127.0.0.1", port)) {
        assertThat(jedis.get("user:1")).isEqualTo(first.body());
        assertThat(jedis.ttl("user:1")).isBetween(1L, 30L);
      }
    } finally {
      redis.destroy();
      redis.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void servesWithoutACacheWhenRedisServerIsEmpty() throws Exception {
    try (ConfigurableApplicationContext test = start("")) {
      HttpResponse<String> response = get(base(test) + "/users/3");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("X-Cache")).hasValue("off");
      assertThat(response.body()).contains("\"name\":\"Alan Turing\"");
    }
  }

  @Test
  void servesFromTheUserServiceWhenRedisIsDown() throws Exception {
    try (ConfigurableApplicationContext test = start("127.0.0.1:" + freePort())) {
      HttpResponse<String> response = get(base(test) + "/users/2");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("X-Cache")).hasValue("miss");
      assertThat(response.body()).contains("\"name\":\"Grace Hopper\"");
    }
  }

  @Test
  void passesTheUserServices404On() throws Exception {
    try (ConfigurableApplicationContext test = start("")) {
      HttpResponse<String> response = get(base(test) + "/users/99");

      assertThat(response.statusCode()).isEqualTo(404);
      assertThat(response.body()).isEqualTo("{\"error\":\"no user with id 99\"}");
    }
  }

  private static ConfigurableApplicationContext start(String redisServer) {
    return TestServiceApplication.application().run("--server.port=0", "--test.user-service=" + usersBase,
        "--test.redis-server=" + redisServer);
  }

  private static String base(ConfigurableApplicationContext app) {
    return "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void awaitRedis(int port) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      try (Jedis jedis = new Jedis("127.0.0.1", port)) {
        if ("PONG".equals(jedis.ping())) {
          return;
        }
      } catch (RuntimeException notYet) {
        Thread.sleep(100);
      }
    }
    throw new AssertionError("redis-server did not answer on port " + port + " within 10 s");
  }
}
