package dev.tracelight.injector.mutation;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.zjsonpatch.DiffFlags;
import io.fabric8.zjsonpatch.JsonDiff;
import java.util.EnumSet;
import tools.jackson.databind.JsonNode;

/**
 * The JSON Patch (RFC 6902) from a pod to its mutated form, computed as a diff so that the patch and the mutation can
 * never disagree. Only add/remove/replace operations: they read plainly in an AdmissionReview and apply anywhere.
 */
public final class PodPatch {

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private PodPatch() {
  }

  public static JsonNode between(Pod before, Pod after) {
    return JsonDiff.asJson(toJson(before), toJson(after),
        EnumSet.of(DiffFlags.OMIT_MOVE_OPERATION, DiffFlags.OMIT_COPY_OPERATION, DiffFlags.OMIT_VALUE_ON_REMOVE));
  }

  public static JsonNode toJson(Object resource) {
    return SERIALIZATION.convertValue(resource, JsonNode.class);
  }

  public static <T> T fromJson(JsonNode node, Class<T> type) {
    return SERIALIZATION.convertValue(node, type);
  }
}
