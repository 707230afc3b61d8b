package dev.tracelight.samples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class TraceTreeTest {
  @Test
  void nestsChildrenUnderParentsAndShowsOrphansAtTheTop() throws Exception {
    String trace = """
        {"spans": [
          {"spanId": "a", "parentSpanId": "", "name": "GET /users/{id}", "kind": "SERVER", "service": "test",
           "durationNanos": 12345678, "status": {"code": "UNSET"}, "attributes": {"http.response.status_code": 200}},
          {"spanId": "b", "parentSpanId": "a", "name": "GET", "kind": "CLIENT", "service": "test",
           "durationNanos": 150000, "status": {"code": "UNSET"}, "attributes": {"db.system.name": "redis"}},
          {"spanId": "c", "parentSpanId": "a", "name": "GET", "kind": "CLIENT", "service": "test",
           "durationNanos": 9000000, "status": {"code": "ERROR"}, "attributes": {"http.response.status_code": 503}},
          {"spanId": "d", "parentSpanId": "gone", "name": "SELECT users", "kind": "CLIENT", "service": "test1",
           "durationNanos": 200000, "status": {"code": "UNSET"}, "attributes": {"db.system.name": "h2database"}}
        ]}""";

    assertThat(TraceTree.lines(new ObjectMapper().readTree(trace))).containsExactly(
        "GET /users/{id} -> 200   [test SERVER, 12.3 ms]",
        "  GET   [test CLIENT redis, 0.2 ms]",
        "  GET -> 503 (error)   [test CLIENT, 9.0 ms]",
        "SELECT users   [test1 CLIENT h2database, 0.2 ms]");
  }
}
