package dev.tracelight.injector.instrumentation;

import java.util.List;
import java.util.Objects;

/**
 * The Instrumentations an injection may choose from: the ones an informer has seen in the cluster, or the ones read
 * from a file. A resource without a namespace (typical in a file) is offered to every namespace.
 */
public final class InstrumentationCatalog {

  private final List<Instrumentation> instrumentations;

  private InstrumentationCatalog(List<Instrumentation> instrumentations) {
    this.instrumentations = List.copyOf(instrumentations);
  }

  public static InstrumentationCatalog of(List<Instrumentation> instrumentations) {
    return new InstrumentationCatalog(instrumentations);
  }

  public List<Instrumentation> all() {
    return instrumentations;
  }

  /**
   * The Instrumentation an annotation asks for: {@code name == null} means "the only one in the namespace" (the
   * annotation said {@code true}).
   */
  public Selection select(String namespace, String name) {
    List<Instrumentation> inNamespace = instrumentations.stream()
        .filter(i -> i.getMetadata() == null || i.getMetadata().getNamespace() == null
            || i.getMetadata().getNamespace().equals(namespace))
        .toList();
    if (name == null) {
      if (inNamespace.size() == 1) {
        return new Selection(inNamespace.get(0), null);
      }
      if (inNamespace.isEmpty()) {
        return new Selection(null, "no Instrumentation in namespace " + namespace
            + " (create one there, or name one as \"namespace/name\" in the annotation)");
      }
      return new Selection(null, inNamespace.size() + " Instrumentations in namespace " + namespace + " ("
          + String.join(", ", inNamespace.stream().map(i -> i.getMetadata().getName()).toList())
          + "): name the one to use in the annotation instead of \"true\"");
    }
    return inNamespace.stream()
        .filter(i -> i.getMetadata() != null && Objects.equals(i.getMetadata().getName(), name))
        .findFirst()
        .map(i -> new Selection(i, null))
        .orElseGet(() -> new Selection(null, "Instrumentation " + namespace + "/" + name + " not found"));
  }

  /** Either the Instrumentation found or why there is none. */
  public record Selection(Instrumentation instrumentation, String problem) {
  }
}
