package dev.tracelight.injector.manifest;

import dev.tracelight.injector.instrumentation.Instrumentation;
import dev.tracelight.injector.mutation.PodPatch;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/** Reads Instrumentation resources from a file, as users keep them for the operator. */
public final class InstrumentationFile {

  static final String API_VERSION = "opentelemetry.io/v1alpha1";

  private InstrumentationFile() {
  }

  /** Every Instrumentation in the text; other documents are an error, so is a file with none. */
  public static List<Instrumentation> read(String source, String text) {
    List<ObjectNode> documents = ManifestDocuments.read(source, text);
    List<Instrumentation> instrumentations = new ArrayList<>();
    for (int i = 0; i < documents.size(); i++) {
      ObjectNode document = documents.get(i);
      if (!isInstrumentation(document)) {
        throw new ManifestException(source + ": document " + (i + 1) + ": expected apiVersion " + API_VERSION
            + ", kind Instrumentation; found " + document.path("apiVersion").asString("(no apiVersion)") + ", "
            + document.path("kind").asString("(no kind)"));
      }
      instrumentations.add(bind(source + ": document " + (i + 1), document));
    }
    if (instrumentations.isEmpty()) {
      throw new ManifestException(source + ": no Instrumentation in the file");
    }
    return instrumentations;
  }

  static boolean isInstrumentation(ObjectNode document) {
    return "Instrumentation".equals(document.path("kind").asString(""))
        && API_VERSION.equals(document.path("apiVersion").asString(""));
  }

  static Instrumentation bind(String where, ObjectNode document) {
    try {
      return PodPatch.fromJson(document, Instrumentation.class);
    } catch (RuntimeException e) {
      throw new ManifestException(where + " (Instrumentation " + document.path("metadata").path("name")
          .asString("") + "): does not match the Instrumentation schema: " + e.getMessage(), e);
    }
  }
}
