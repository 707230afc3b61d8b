package dev.tracelight.injector.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracelight.injector.mutation.PodInjection;
import dev.tracelight.injector.webhook.PodAdmission;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The webhook while the API server answers nothing useful (fabric8's mock server with no expectations: every call is an
 * error, as when the CRD is missing or RBAC is wrong): informers never sync, owner look-ups and Events fail. Pods are
 * still admitted at once, unchanged, with a warning saying why, and the Event is attempted.
 */
@EnableKubernetesMockClient
class ApiOutageTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String ANNOTATED_POD = """
      {"metadata": {"generateName": "test-5d8f9b7c4-", "namespace": "xxx",
         "annotations": {"instrumentation.opentelemetry.io/inject-java": "true"},
         "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "test-5d8f9b7c4",
                              "uid": "r1", "controller": true}]},
       "spec": {"containers": [{"name": "test", "image": "test:1.0"}]}}""";

  KubernetesMockServer server;
  KubernetesClient client;
  private ClusterAdmissionContext context;

  @BeforeEach
  void start() {
    context = ClusterAdmissionContext.start(client, Duration.ofSeconds(1));
  }

  @AfterEach
  void stop() {
    context.close();
  }

  @Test
  @Timeout(60) // a hang guard, not a timing assertion: every admission below must return
  void admitsUnchangedWithAWarningAndTriesAnEventWhileEveryApiCallFails() throws Exception {
    PodAdmission admission = PodAdmission.create(PodInjection.create("init:1"), context);

    JsonNode response = answer(admission, ANNOTATED_POD);

    assertThat(context.ready()).isFalse();
    assertThat(response.path("allowed").asBoolean()).isTrue();
    assertThat(response.has("patch")).isFalse();
    assertThat(response.path("warnings").get(0).asString()).isEqualTo("tracelight: not injected: the webhook is "
        + "still loading Instrumentations and Namespaces from the cluster; recreate the pod once it is ready");
    assertThat(requestsUntil("POST /api/v1/namespaces/xxx/events")).contains(
        "GET /apis/apps/v1/namespaces/xxx/replicasets/test-5d8f9b7c4"); // the owner look-up was tried, and failed
  }

  @Test
  @Timeout(60)
  void admitsMalformedPodsUnchangedWithAWarning() throws Exception {
    PodAdmission admission = PodAdmission.create(PodInjection.create("init:1"), context);
    List<String> malformed = List.of(
        "{\"spec\": \"not a spec\"}",
        "{\"metadata\": {\"name\": \"p\", \"annotations\": [\"not\", \"a\", \"map\"]}, \"spec\": {}}",
        "{\"metadata\": {\"name\": \"p\", \"annotations\": {\"instrumentation.opentelemetry.io/inject-java\": "
            + "\"true\"}}, \"spec\": {\"containers\": [{\"env\": 7}]}}",
        "{\"metadata\": {\"name\": \"p\", \"annotations\": {\"instrumentation.opentelemetry.io/inject-java\": "
            + "\"true\"}}, \"spec\": {}}",
        "{\"metadata\": {\"name\": \"p\", \"annotations\": {\"instrumentation.opentelemetry.io/inject-java\": "
            + "\"true\"}}, \"spec\": {\"containers\": [{}]}}");

    for (String pod : malformed) {
      JsonNode response = answer(admission, pod);
      assertThat(response.path("allowed").asBoolean()).as(pod).isTrue();
      assertThat(response.has("patch")).as(pod).isFalse();
      assertThat(response.path("warnings").get(0).asString()).as(pod).startsWith("tracelight: not injected");
    }
  }

  /** The requests the mock server saw, up to and including the first that starts with {@code last}. */
  private List<String> requestsUntil(String last) throws InterruptedException {
    List<String> seen = new ArrayList<>();
    while (true) {
      RecordedRequest r = server.takeRequest(30, TimeUnit.SECONDS);
      assertThat(r).as("a request %s (seen: %s)", last, seen).isNotNull();
      String line = r.getMethod() + " " + r.getPath();
      seen.add(line.replaceAll("\\?.*", ""));
      if (line.startsWith(last)) {
        return seen;
      }
    }
  }

  private static JsonNode answer(PodAdmission admission, String pod) {
    String review = "{\"request\": {\"uid\": \"u\", \"kind\": {\"kind\": \"Pod\"}, \"operation\": \"CREATE\", "
        + "\"namespace\": \"xxx\", \"object\": " + pod + "}}";
    PodAdmission.Answer answer = admission.review(review.getBytes(StandardCharsets.UTF_8));
    assertThat(answer.status()).isEqualTo(200);
    return JSON.readTree(answer.body()).path("response");
  }
}
