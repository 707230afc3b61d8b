package dev.tracelight.injector.manifest;

import dev.tracelight.injector.instrumentation.Instrumentation;
import dev.tracelight.injector.instrumentation.InstrumentationCatalog;
import dev.tracelight.injector.mutation.InjectionOutcome;
import dev.tracelight.injector.mutation.Owners;
import dev.tracelight.injector.mutation.PodInjection;
import dev.tracelight.injector.mutation.PodPatch;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.zjsonpatch.JsonPatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The offline injection: every workload of a manifest stream whose pod template asks for the agent is mutated, by
 * the same core as the webhook; every other document passes through with its content unchanged. The mutation is
 * applied to the document as a JSON Patch, so fields the Kubernetes model does not know survive too.
 */
public final class ManifestInjection {

  /** Where each kind keeps its pod template. */
  private static final Map<String, String> TEMPLATE_PATHS = Map.of(
      "Deployment", "/spec/template",
      "StatefulSet", "/spec/template",
      "DaemonSet", "/spec/template",
      "ReplicaSet", "/spec/template",
      "Rollout", "/spec/template",
      "Job", "/spec/template",
      "CronJob", "/spec/jobTemplate/spec/template");

  private final PodInjection injection;
  private final InstrumentationCatalog catalog;
  private final String defaultNamespace;

  private ManifestInjection(PodInjection injection, InstrumentationCatalog catalog, String defaultNamespace) {
    this.injection = injection;
    this.catalog = catalog;
    this.defaultNamespace = defaultNamespace;
  }

  /**
   * @param catalog the Instrumentations to use, or null to use the ones in the stream itself
   * @param defaultNamespace the namespace of documents that name none (as {@code kubectl apply -n} would)
   */
  public static ManifestInjection create(PodInjection injection, InstrumentationCatalog catalog,
                                         String defaultNamespace) {
    return new ManifestInjection(injection, catalog, defaultNamespace);
  }

  /** The documents after injection, and what the user must know. Errors mean the stream must not be applied. */
  public record Result(List<ObjectNode> documents, List<String> warnings, List<String> errors, int injected) {
  }

  public Result inject(String source, List<ObjectNode> documents) {
    Map<String, ObjectMeta> namespaces = new HashMap<>();
    List<Instrumentation> inStream = new ArrayList<>();
    for (int i = 0; i < documents.size(); i++) {
      ObjectNode document = documents.get(i);
      if ("Namespace".equals(document.path("kind").asString(""))) {
        ObjectMeta meta = PodPatch.fromJson(document.path("metadata"), ObjectMeta.class);
        namespaces.put(meta.getName(), meta);
      } else if (catalog == null && InstrumentationFile.isInstrumentation(document)) {
        Instrumentation instrumentation = InstrumentationFile.bind(source + ": document " + (i + 1), document);
        if (instrumentation.getMetadata().getNamespace() == null) {
          instrumentation.getMetadata().setNamespace(defaultNamespace);
        }
        inStream.add(instrumentation);
      }
    }
    InstrumentationCatalog effective = catalog != null ? catalog : InstrumentationCatalog.of(inStream);

    List<ObjectNode> out = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    int injected = 0;
    for (int i = 0; i < documents.size(); i++) {
      ObjectNode document = documents.get(i);
      String kind = document.path("kind").asString("");
      String name = document.path("metadata").path("name").asString("");
      String namespace = document.path("metadata").path("namespace").asString(defaultNamespace);
      String where = source + ": document " + (i + 1) + " (" + kind + " " + namespace + "/" + name + ")";
      String templatePath = "Pod".equals(kind) ? "" : TEMPLATE_PATHS.get(kind);
      JsonNode template = templatePath == null ? null : document.at(templatePath);
      if (template == null || !template.isObject()) {
        out.add(document);
        continue;
      }
      ObjectNode podNode = JsonNodeFactory.instance.objectNode();
      podNode.put("apiVersion", "v1");
      podNode.put("kind", "Pod");
      podNode.set("metadata", template.path("metadata").isObject() ? template.path("metadata").deepCopy()
          : JsonNodeFactory.instance.objectNode());
      podNode.set("spec", template.path("spec").deepCopy());
      ((ObjectNode) podNode.get("metadata")).put("namespace", namespace);
      Pod pod;
      try {
        pod = PodPatch.fromJson(podNode, Pod.class);
      } catch (RuntimeException e) {
        errors.add(where + ": the pod template does not match the Kubernetes schema: " + e.getMessage());
        out.add(document);
        continue;
      }
      Owners owners = "Pod".equals(kind) ? Owners.fromPod(pod) : Owners.none().with(kind, name);
      InjectionOutcome outcome = injection.inject(pod, namespaces.get(namespace), owners, effective);
      outcome.warnings().forEach(w -> (outcome.status() == InjectionOutcome.Status.REFUSED ? errors : warnings)
          .add(where + ": " + w));
      if (!outcome.changed()) {
        out.add(document);
        continue;
      }
      injected++;
      JsonNode patched = JsonPatch.apply(PodPatch.between(pod, outcome.pod()), podNode);
      ObjectNode result = document.deepCopy();
      if ("Pod".equals(kind)) {
        result.set("metadata", patched.get("metadata"));
        result.set("spec", patched.get("spec"));
        if (!document.path("metadata").has("namespace")) {
          ((ObjectNode) result.get("metadata")).remove("namespace");
        }
      } else {
        ObjectNode target = (ObjectNode) result.at(templatePath);
        ObjectNode metadata = (ObjectNode) patched.get("metadata");
        metadata.remove("namespace");
        if (template.has("metadata")) {
          target.set("metadata", metadata);
        }
        target.set("spec", patched.get("spec"));
      }
      out.add(result);
    }
    return new Result(out, warnings, errors, injected);
  }
}
