package dev.tracelight.injector.webhook;

import dev.tracelight.injector.mutation.InjectionOutcome;
import dev.tracelight.injector.mutation.PodInjection;
import dev.tracelight.injector.mutation.PodPatch;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponseBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReviewBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One admission.k8s.io/v1 AdmissionReview in, one out. A pod that asks for the agent gets a JSON Patch; anything that
 * goes wrong leaves the pod unchanged and allowed, with a warning the user sees in kubectl's output and an Event:
 * this webhook must never be the reason a pod does not start.
 */
public final class PodAdmission {

  private static final Logger LOG = Logger.getLogger(PodAdmission.class.getName());
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final PodInjection injection;
  private final AdmissionContext context;

  private PodAdmission(PodInjection injection, AdmissionContext context) {
    this.injection = injection;
    this.context = context;
  }

  public static PodAdmission create(PodInjection injection, AdmissionContext context) {
    return new PodAdmission(injection, context);
  }

  /** An HTTP answer: 200 with an AdmissionReview, or 400 with a plain message when the body is not one. */
  public record Answer(int status, String contentType, byte[] body) {
  }

  public Answer review(byte[] body) {
    JsonNode review;
    try {
      review = JSON.readTree(body);
    } catch (JacksonException e) {
      return badRequest("request body is not JSON: " + e.getOriginalMessage());
    }
    JsonNode request = review == null ? null : review.path("request");
    if (request == null || !request.isObject() || !request.path("uid").isString()) {
      return badRequest("expected an admission.k8s.io/v1 AdmissionReview with request.uid");
    }
    String uid = request.path("uid").asString();
    AdmissionResponse response;
    try {
      response = respond(request, uid);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "tracelight: admission " + uid + " failed; the pod is admitted unchanged", e);
      response = allowed(uid, List.of("tracelight: not injected: internal error (" + e.getClass().getSimpleName()
          + ": " + e.getMessage() + "); see the webhook's log"));
    }
    AdmissionReview answer = new AdmissionReviewBuilder().withApiVersion("admission.k8s.io/v1")
        .withKind("AdmissionReview").withResponse(response).build();
    return new Answer(200, "application/json", PodPatch.toJson(answer).toString()
        .getBytes(StandardCharsets.UTF_8));
  }

  private AdmissionResponse respond(JsonNode request, String uid) {
    String kind = request.path("kind").path("kind").asString("");
    String operation = request.path("operation").asString("");
    if (!kind.equals("Pod") || !operation.equals("CREATE") || !request.path("object").isObject()) {
      return allowed(uid, List.of());
    }
    Pod pod;
    try {
      pod = PodPatch.fromJson(request.path("object"), Pod.class);
    } catch (RuntimeException e) {
      String warning = "tracelight: not injected: the pod does not match the Kubernetes schema: " + e.getMessage();
      eventForUnreadablePod(request, warning);
      return allowed(uid, List.of(warning));
    }
    String namespace = request.path("namespace").asString(
        pod.getMetadata() == null ? "default" : pod.getMetadata().getNamespace());
    if (pod.getMetadata() != null && pod.getMetadata().getNamespace() == null) {
      pod.getMetadata().setNamespace(namespace);
    }
    InjectionOutcome outcome = injection.inject(pod, context.namespace(namespace), context.owners(pod, namespace),
        context.instrumentations());
    List<String> warnings = new ArrayList<>(outcome.warnings());
    if (outcome.status() == InjectionOutcome.Status.REFUSED && !context.ready()) {
      // Not yet knowing the cluster's Instrumentations is the likelier cause than the one the core found.
      warnings.add(0, "tracelight: not injected: the webhook is still loading Instrumentations and Namespaces "
          + "from the cluster; recreate the pod once it is ready");
    }
    // An Event is a side effect; the webhook is declared sideEffects: None, so a dry run must not leave one.
    if (outcome.status() == InjectionOutcome.Status.REFUSED && !request.path("dryRun").asBoolean(false)) {
      context.warn(pod, namespace, String.join("; ", outcome.warnings()));
    }
    if (!outcome.changed()) {
      return allowed(uid, warnings);
    }
    Pod before = PodPatch.fromJson(request.path("object"), Pod.class);
    if (before.getMetadata() != null) {
      before.getMetadata().setNamespace(pod.getMetadata().getNamespace());
    }
    JsonNode patch = PodPatch.between(before, outcome.pod());
    LOG.info("tracelight: injected pod " + namespace + "/" + podName(pod) + " with Instrumentation "
        + outcome.instrumentation().qualifiedName());
    return new AdmissionResponseBuilder(allowed(uid, warnings)).withPatchType("JSONPatch")
        .withPatch(Base64.getEncoder().encodeToString(patch.toString().getBytes(StandardCharsets.UTF_8))).build();
  }

  /**
   * A pod the model cannot read still gets its Event when it asked for the agent and its metadata can be read (the
   * Event names the pod or its controller); a pod whose metadata is broken too only gets the warning.
   */
  private void eventForUnreadablePod(JsonNode request, String warning) {
    if (request.path("dryRun").asBoolean(false)) {
      return;
    }
    try {
      ObjectMeta meta = PodPatch.fromJson(request.path("object").path("metadata"), ObjectMeta.class);
      if (meta == null || meta.getAnnotations() == null || meta.getAnnotations().keySet().stream()
          .noneMatch(k -> k.startsWith("instrumentation.opentelemetry.io/inject-java"))) {
        return;
      }
      String namespace = request.path("namespace").asString(meta.getNamespace() == null ? "default"
          : meta.getNamespace());
      context.warn(new PodBuilder().withMetadata(meta).build(), namespace, warning);
    } catch (RuntimeException e) {
      LOG.fine("tracelight: no Event for an unreadable pod: " + e);
    }
  }

  static String podName(Pod pod) {
    if (pod.getMetadata() == null) {
      return "";
    }
    return pod.getMetadata().getName() != null ? pod.getMetadata().getName()
        : pod.getMetadata().getGenerateName() + "*";
  }

  private static AdmissionResponse allowed(String uid, List<String> warnings) {
    AdmissionResponseBuilder builder = new AdmissionResponseBuilder().withUid(uid).withAllowed(true);
    if (!warnings.isEmpty()) {
      builder.withWarnings(warnings);
    }
    return builder.build();
  }

  private static Answer badRequest(String message) {
    return new Answer(400, "text/plain; charset=utf-8", (message + "\n").getBytes(StandardCharsets.UTF_8));
  }
}
