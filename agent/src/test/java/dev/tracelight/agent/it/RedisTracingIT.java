package dev.tracelight.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Redis clients (Jedis 4.0 and 7.5, Lettuce 6.0 and 6.8) under the agent against a real redis-server: one CLIENT span per command with db.system.name=redis,
 * the command as db.operation.name, keys kept and values replaced by {@code ?}, the database index as db.namespace.
 */
class RedisTracingIT {
  private static final Path JEDIS4 = Path.of("target/it-libs/jedis4");
  private static final Path LETTUCE60 = Path.of("target/it-libs/lettuce60");
  private static final List<Path> JEDIS_DEPENDENCIES = ForkedLibraries.matching("/org/apache/commons/commons-pool2/",
      "/com/google/code/gson/", "/org/json/json/", "/org/slf4j/slf4j-api/");
  private static RedisServer redis;

  @BeforeAll
  static void startRedis() throws Exception {
    assumeThat(RedisServer.installed()).as("redis-server at " + RedisServer.BINARY).isTrue();
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void tracesJedis7Commands() throws Exception {
    List<Path> classPath = new ArrayList<>(ForkedLibraries.matching("/redis/clients/jedis/"));
    classPath.addAll(ForkedLibraries.matching("/redis/clients/authentication/"));
    classPath.addAll(JEDIS_DEPENDENCIES);
    assertJedisTraced(classPath, List.of());
  }

  /** Jedis 4's pool still says QUIT when it destroys a connection: a real command, so a span. */
  @Test
  void tracesJedis4Commands() throws Exception {
    List<Path> classPath = new ArrayList<>(List.of(JEDIS4.resolve("jedis-4.0.0.jar")));
    classPath.addAll(JEDIS_DEPENDENCIES);
    assertJedisTraced(classPath, List.of("QUIT"));
  }

  @Test
  void tracesLettuce6NewestSyncAsyncAndReactiveCommands() throws Exception {
    assertLettuceTraced(ForkedLibraries.matching("/io/lettuce/lettuce-core/", "/io/netty/netty-",
        "/io/projectreactor/reactor-core/", "/org/reactivestreams/reactive-streams/"));
  }

  /** Lettuce 6.0.0 with the Netty 4.1 and Reactor 3.3 it was built with. */
  @Test
  void tracesLettuce60SyncAsyncAndReactiveCommands() throws Exception {
    try (Stream<Path> jars = Files.list(LETTUCE60)) {
      assertLettuceTraced(jars.sorted().toList());
    }
  }

  private static void assertLettuceTraced(List<Path> classPath) throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.httpProtobuf()) {
      ForkedApp.Result result = ForkedApp.testMain("dev.tracelight.agent.it.lettuce.LettuceApp", classPath,
          Integer.toString(redis.port())).exportingTo(receiver).run();
      assertThat(result.exitCode()).as(result.stderr()).isZero();
      assertThat(result.line("GET=")).isEqualTo("alice-secret");
      assertThat(result.line("REACTIVE=")).isEqualTo("alice-secret");
      assertThat(result.line("ERROR=")).startsWith("WRONGTYPE ");
      assertThat(result.agentLogLines()).isEmpty();

      List<ReceivedSpan> spans = receiver.spans();
      assertThat(spans).extracting(ReceivedSpan::name)
          .containsExactly("SET", "GET", "HSET", "GET", "INCR", "SELECT", "DEL");
      assertThat(spans).allSatisfy(span -> {
        assertThat(span.kind()).isEqualTo(SpanKind.SPAN_KIND_CLIENT);
        assertThat(span.attributes().values()).noneMatch(value -> value.toString().contains("secret"));
      });
      Map<String, Object> database3 = Map.of("db.system.name", "redis", "db.namespace", "3",
          "server.address", "127.0.0.1", "server.port", (long) redis.port());
      assertThat(spans.get(0).attributes()).isEqualTo(with(database3, "SET", "SET user:1 ?"));
      assertThat(spans.get(1).attributes()).isEqualTo(with(database3, "GET", "GET user:1"));
      assertThat(spans.get(2).attributes()).isEqualTo(with(database3, "HSET", "HSET user:2 ? ?"));
      assertThat(spans.get(3).attributes()).isEqualTo(with(database3, "GET", "GET user:1"));
      Map<String, Object> failed = with(database3, "INCR", "INCR user:2");
      failed.put("error.type", "io.lettuce.core.RedisCommandExecutionException");
      failed.put("db.response.status_code", "WRONGTYPE");
      assertThat(spans.get(4).attributes()).isEqualTo(failed);
      assertThat(spans.get(4).statusCode()).isEqualTo(2); // ERROR
      assertThat(spans.get(5).attributes()).isEqualTo(with(database3, "SELECT", "SELECT ?"));
      Map<String, Object> database5 = new TreeMap<>(database3);
      database5.put("db.namespace", "5");
      assertThat(spans.get(6).attributes()).isEqualTo(with(database5, "DEL", "DEL user:1"));
    }
  }

  private static void assertJedisTraced(List<Path> classPath, List<String> closing) throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.httpProtobuf()) {
      ForkedApp.Result result = ForkedApp.testMain("dev.tracelight.agent.it.jedis.JedisApp", classPath,
          Integer.toString(redis.port())).exportingTo(receiver).run();
      assertThat(result.exitCode()).as(result.stderr()).isZero();
      assertThat(result.line("GET=")).isEqualTo("alice-secret");
      assertThat(result.line("ERROR=")).startsWith("WRONGTYPE ");
      assertThat(result.agentLogLines()).isEmpty();

      List<ReceivedSpan> spans = receiver.spans();
      List<String> names = new ArrayList<>(List.of("SET", "GET", "HSET", "DEL", "INCR", "SET"));
      names.addAll(closing);
      assertThat(spans).extracting(ReceivedSpan::name).containsExactlyElementsOf(names);
      assertThat(spans).allSatisfy(span -> {
        assertThat(span.kind()).isEqualTo(SpanKind.SPAN_KIND_CLIENT);
        assertThat(span.parentSpanId()).isEmpty();
        assertThat(span.attributes().values()).noneMatch(value -> value.toString().contains("secret"));
      });
      Map<String, Object> database1 = Map.of("db.system.name", "redis", "db.namespace", "1",
          "server.address", "127.0.0.1", "server.port", (long) redis.port());
      assertThat(spans.get(0).attributes()).isEqualTo(with(database1, "SET", "SET user:1 ?"));
      assertThat(spans.get(1).attributes()).isEqualTo(with(database1, "GET", "GET user:1"));
      assertThat(spans.get(2).attributes()).isEqualTo(with(database1, "HSET", "HSET user:2 ? ?"));
      assertThat(spans.get(3).attributes()).isEqualTo(with(database1, "DEL", "DEL user:1"));
      Map<String, Object> failed = with(database1, "INCR", "INCR user:2");
      failed.put("error.type", "redis.clients.jedis.exceptions.JedisDataException");
      failed.put("db.response.status_code", "WRONGTYPE");
      assertThat(spans.get(4).attributes()).isEqualTo(failed);
      assertThat(spans.get(4).statusCode()).isEqualTo(2); // ERROR
      Map<String, Object> database0 = new TreeMap<>(database1);
      database0.put("db.namespace", "0");
      assertThat(spans.get(5).attributes()).isEqualTo(with(database0, "SET", "SET pooled ?"));
      for (int i = 0; i < closing.size(); i++) {
        assertThat(spans.get(6 + i).attributes()).isEqualTo(with(database0, closing.get(i), closing.get(i)));
      }
    }
  }

  private static Map<String, Object> with(Map<String, Object> target, String operation, String queryText) {
    Map<String, Object> map = new TreeMap<>(target);
    map.put("db.operation.name", operation);
    map.put("db.query.text", queryText);
    return map;
  }
}
