package dev.tracelight.samples.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One trace as indented lines, children under their parent: {@code name -> status   [service KIND db-system, 1.2 ms]}.
 */
final class TraceTree {
  private TraceTree() {
  }

  static List<String> lines(JsonNode trace) {
    Map<String, JsonNode> byId = new LinkedHashMap<>();
    trace.path("spans").forEach(span -> byId.put(span.path("spanId").asText(), span));
    Map<String, List<JsonNode>> children = new LinkedHashMap<>();
    List<JsonNode> roots = new ArrayList<>();
    // The API lists spans in order of start, so siblings come out in the order they ran.
    for (JsonNode span : byId.values()) {
      String parent = span.path("parentSpanId").asText("");
      if (parent.isEmpty() || !byId.containsKey(parent)) {
        roots.add(span);
      } else {
        children.computeIfAbsent(parent, p -> new ArrayList<>()).add(span);
      }
    }
    List<String> lines = new ArrayList<>();
    for (JsonNode root : roots) {
      add(root, 0, children, lines);
    }
    return lines;
  }

  private static void add(JsonNode span, int depth, Map<String, List<JsonNode>> children, List<String> lines) {
    lines.add("  ".repeat(depth) + label(span));
    for (JsonNode child : children.getOrDefault(span.path("spanId").asText(), List.of())) {
      add(child, depth + 1, children, lines);
    }
  }

  static String label(JsonNode span) {
    StringBuilder label = new StringBuilder(span.path("name").asText());
    JsonNode status = span.path("attributes").path("http.response.status_code");
    if (!status.isMissingNode()) {
      label.append(" -> ").append(status.asText());
    }
    if ("ERROR".equals(span.path("status").path("code").asText())) {
      label.append(" (error)");
    }
    // Redis' GET and HTTP's GET look alike: name the database system.
    JsonNode db = span.path("attributes").path("db.system.name");
    String system = db.isMissingNode() ? "" : " " + db.asText();
    return label + "   [" + span.path("service").asText() + " " + span.path("kind").asText() + system + ", "
        + String.format(Locale.ROOT, "%.1f ms", span.path("durationNanos").asLong() / 1e6) + "]";
  }
}
