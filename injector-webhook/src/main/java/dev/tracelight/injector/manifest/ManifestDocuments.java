package dev.tracelight.injector.manifest;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * Reads and writes Kubernetes manifest streams: multi-document YAML, or JSON (an object or a v1 List). A key given
 * twice in one mapping is an error, never "last one wins": a copy-paste slip such as two {@code endpoint:} lines must
 * not silently pick one.
 */
public final class ManifestDocuments {

  private static final YAMLMapper YAML = YAMLMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
      .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
      // Without this, the string "1" (an annotation, an env value) would be written as the number 1.
      .enable(YAMLWriteFeature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
      .build();
  private static final JsonMapper JSON = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .build();

  private ManifestDocuments() {
  }

  /**
   * Parses every document of a stream. Empty documents (a stray "---") are dropped; a JSON v1 List is unpacked.
   *
   * @param source names the input in error messages (a file name or "-")
   * @throws ManifestException naming the source, the line and what is wrong
   */
  public static List<ObjectNode> read(String source, String text) {
    List<ObjectNode> documents = new ArrayList<>();
    boolean json = text.stripLeading().startsWith("{");
    try (MappingIterator<JsonNode> values = (json ? JSON : YAML).readerFor(JsonNode.class).readValues(text)) {
      int index = 0;
      while (values.hasNextValue()) {
        index++;
        JsonNode node = values.nextValue();
        if (node == null || node.isNull() || node.isMissingNode()) {
          continue;
        }
        if (!node.isObject()) {
          throw new ManifestException(source + ": document " + index + ": expected a Kubernetes object (a mapping "
              + "with apiVersion and kind), found " + node.getNodeType().name().toLowerCase());
        }
        ObjectNode object = (ObjectNode) node;
        if ("List".equals(object.path("kind").asString("")) && object.path("items").isArray()) {
          for (JsonNode item : object.path("items")) {
            if (item.isObject()) {
              documents.add((ObjectNode) item);
            }
          }
        } else {
          documents.add(object);
        }
      }
    } catch (JacksonException e) {
      throw new ManifestException(source + describe(e), e);
    }
    return documents;
  }

  /** Writes documents as YAML separated by "---", or as JSON: the object itself, or a v1 List of several. */
  public static String write(List<ObjectNode> documents, boolean json) {
    if (json) {
      if (documents.size() == 1) {
        return JSON.writeValueAsString(documents.get(0)) + "\n";
      }
      ObjectNode list = JSON.createObjectNode();
      list.put("apiVersion", "v1");
      list.put("kind", "List");
      ArrayNode items = list.putArray("items");
      documents.forEach(items::add);
      return JSON.writeValueAsString(list) + "\n";
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < documents.size(); i++) {
      if (i > 0) {
        out.append("---\n");
      }
      out.append(YAML.writeValueAsString(documents.get(i)));
    }
    return out.toString();
  }

  private static String describe(JacksonException e) {
    TokenStreamLocation location = e.getLocation();
    String where = location == null || location.getLineNr() < 0 ? "" : ":" + location.getLineNr();
    String message = e.getOriginalMessage();
    if (message != null && message.startsWith("Duplicate Object property")) {
      // Jackson: Duplicate Object property "endpoint"
      String key = message.substring(message.indexOf('"') + 1, message.lastIndexOf('"'));
      return where + ": key \"" + key + "\" appears twice in the same mapping (keep one of them; a YAML mapping "
          + "cannot hold a key twice)";
    }
    return where + ": not valid YAML/JSON: " + message;
  }
}
