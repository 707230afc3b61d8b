package dev.tracelight.bootstrap.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracelight.bootstrap.db.DbQuery;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedisQueryTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "set user:1 secret EX 60     | SET    | SET user:1 ? ? ?",
      "GET user:1                  | GET    | GET user:1",
      "MGET a b c                  | MGET   | MGET a b c",
      "HSET h field secret         | HSET   | HSET h ? ?",
      "AUTH admin hunter2          | AUTH   | AUTH ? ?",
      "HELLO 3 AUTH admin hunter2  | HELLO  | HELLO ? ? ? ?",
      "EVAL script 1 key arg       | EVAL   | EVAL ? ? ? ?",
      "PUBLISH news secret         | PUBLISH | PUBLISH news ?",
      "SELECT 2                    | SELECT | SELECT 2",
      "PING                        | PING   | PING",
      "CLIENT SETINFO LIB-NAME x   | CLIENT | CLIENT ? ? ?",
  })
  void keepsCommandAndKeysAndHidesValues(String command, String operation, String text) {
    DbQuery query = RedisQuery.of(arguments(command));
    assertThat(query.operationName()).isEqualTo(operation);
    assertThat(query.queryText()).isEqualTo(text);
    assertThat(query.summary()).isNull();
    assertThat(query.collectionName()).isNull();
  }

  @Test
  void errorCodeIsTheUpperCasePrefixOfRedisErrors() {
    assertThat(RedisCalls.errorPrefix(new RuntimeException("WRONGTYPE Operation against a key"))).isEqualTo("WRONGTYPE");
    assertThat(RedisCalls.errorPrefix(new RuntimeException("ERR unknown command"))).isEqualTo("ERR");
    assertThat(RedisCalls.errorPrefix(new RuntimeException("Unexpected end of stream."))).isNull();
    assertThat(RedisCalls.errorPrefix(new RuntimeException())).isNull();
  }

  @Test
  void noArgumentsNoOperation() {
    assertThat(RedisQuery.of(List.of()).operationName()).isNull();
  }

  private static List<byte[]> arguments(String command) {
    return Arrays.stream(command.split(" ")).map(part -> part.getBytes(StandardCharsets.UTF_8))
        .collect(Collectors.toList());
  }
}
