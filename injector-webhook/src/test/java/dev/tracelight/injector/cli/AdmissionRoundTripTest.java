package dev.tracelight.injector.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tracelight.injector.manifest.ManifestDocuments;
import dev.tracelight.injector.tls.Pem;
import io.fabric8.zjsonpatch.JsonPatch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Real HTTPS AdmissionReviews against {@code serve --self-signed}, on 127.0.0.1 and a port picked at run time. */
class AdmissionRoundTripTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String REFERENCE_POD = """
      apiVersion: v1
      kind: Pod
      metadata:
        generateName: test-5d8f9b7c4-
        labels: {app: test, pod-template-hash: 5d8f9b7c4}
        annotations: {instrumentation.opentelemetry.io/inject-java: "true"}
        ownerReferences:
          - {apiVersion: apps/v1, kind: ReplicaSet, name: test-5d8f9b7c4, uid: u1, controller: true}
      spec:
        containers:
          - name: test
            image: test:1.0
            env: [{name: REDIS_SERVER, value: "redis:6379"}, {name: USER_SERVICE, value: "http://test1:8001"}]
      """;

  @TempDir
  static Path dir;
  private static ServeCommand.Serving serving;
  private static HttpClient client;
  private static URI base;

  @BeforeAll
  static void startServe() throws Exception {
    Path instrumentation = Files.writeString(dir.resolve("inst.yaml"), """
        apiVersion: opentelemetry.io/v1alpha1
        kind: Instrumentation
        metadata: {name: my-instrumentation, namespace: xxx}
        spec:
          exporter: {endpoint: "http://otelcol-collector.xxx.svc.cluster.local:4318"}
          propagators: [tracecontext, baggage, b3]
          sampler: {type: parentbased_traceidratio, argument: "1"}
        """);
    Path ca = dir.resolve("ca.pem");
    serving = ServeCommand.start(List.of("--self-signed", "--ca-out", ca.toString(), "--port", "0", "--bind",
        "127.0.0.1", "--instrumentation", instrumentation.toString()), new PrintStream(new ByteArrayOutputStream()));
    client = HttpClient.newBuilder().sslContext(trusting(ca)).build();
    base = URI.create("https://127.0.0.1:" + serving.port());
  }

  @AfterAll
  static void stopServe() {
    serving.close();
  }

  @Test
  void patchesAnAnnotatedPodAndThePatchGivesTheInjectedPod() throws Exception {
    ObjectNode pod = ManifestDocuments.read("pod", REFERENCE_POD).get(0);

    JsonNode response = admit(review("uid-1", pod)).path("response");

    assertThat(response.path("uid").asString()).isEqualTo("uid-1");
    assertThat(response.path("allowed").asBoolean()).isTrue();
    assertThat(response.path("patchType").asString()).isEqualTo("JSONPatch");
    JsonNode patch = JSON.readTree(Base64.getDecoder().decode(response.path("patch").asString()));
    JsonNode patched = JsonPatch.apply(patch, pod);
    assertThat(patched.at("/spec/initContainers/0/name").asString())
        .isEqualTo("opentelemetry-auto-instrumentation-java");
    assertThat(patched.at("/spec/volumes/0/emptyDir/sizeLimit").asString()).isEqualTo("200Mi");
    assertThat(env(patched, "JAVA_TOOL_OPTIONS")).isEqualTo("-javaagent:/otel-auto-instrumentation-java/javaagent.jar");
    assertThat(env(patched, "OTEL_SERVICE_NAME")).isEqualTo("test");
    assertThat(env(patched, "OTEL_EXPORTER_OTLP_PROTOCOL")).isEqualTo("http/protobuf");
    assertThat(env(patched, "OTEL_RESOURCE_ATTRIBUTES")).contains("k8s.deployment.name=test",
        "k8s.namespace.name=xxx");
    assertThat(patched.at("/spec/containers/0/env/2/name").asString()).isEqualTo("REDIS_SERVER");
    assertThat(patched.at("/metadata")).isEqualTo(pod.at("/metadata"));
  }

  @Test
  void admitsAPodWithoutTheAnnotationWithoutAPatch() throws Exception {
    ObjectNode pod = ManifestDocuments.read("pod", REFERENCE_POD).get(0);
    ((ObjectNode) pod.get("metadata")).remove("annotations");

    JsonNode response = admit(review("uid-2", pod)).path("response");

    assertThat(response.path("uid").asString()).isEqualTo("uid-2");
    assertThat(response.path("allowed").asBoolean()).isTrue();
    assertThat(response.has("patch")).isFalse();
    assertThat(response.has("warnings")).isFalse();
  }

  @Test
  void admitsAPodThatCannotBeInjectedUnchangedWithAWarning() throws Exception {
    ObjectNode pod = ManifestDocuments.read("pod",
        REFERENCE_POD.replace("inject-java: \"true\"", "inject-java: \"xxx/nope\"")).get(0);

    JsonNode response = admit(review("uid-3", pod)).path("response");

    assertThat(response.path("allowed").asBoolean()).isTrue();
    assertThat(response.has("patch")).isFalse();
    assertThat(response.path("warnings").get(0).asString())
        .isEqualTo("tracelight: not injected: Instrumentation xxx/nope not found");
  }

  @Test
  void answersBadBodiesWith400AndGoesOn() throws Exception {
    for (String body : List.of("", "not json", "{\"kind\":\"AdmissionReview\"}", "[1,2]", "{\"request\":{}}")) {
      HttpResponse<String> answer = post(body);
      assertThat(answer.statusCode()).as(body).isEqualTo(400);
    }
    HttpResponse<String> wrongMethod = client.send(HttpRequest.newBuilder(base.resolve("/mutate-v1-pod")).GET()
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(wrongMethod.statusCode()).isEqualTo(405);

    ObjectNode broken = ManifestDocuments.read("pod", REFERENCE_POD).get(0);
    ((ObjectNode) broken.get("spec")).put("containers", "not a list");
    JsonNode response = admit(review("uid-4", broken)).path("response");
    assertThat(response.path("allowed").asBoolean()).isTrue();
    assertThat(response.path("warnings").get(0).asString())
        .startsWith("tracelight: not injected: the pod does not match the Kubernetes schema");

    ObjectNode pod = ManifestDocuments.read("pod", REFERENCE_POD).get(0);
    assertThat(admit(review("uid-5", pod)).path("response").has("patch")).isTrue();
  }

  @Test
  void answersHealthAndReadiness() throws Exception {
    for (String path : List.of("/healthz", "/readyz")) {
      HttpResponse<String> answer = client.send(HttpRequest.newBuilder(base.resolve(path)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.body()).isEqualTo("ok\n");
    }
  }

  @Test
  void speaksTls12AndTls13() throws Exception {
    for (String protocol : List.of("TLSv1.2", "TLSv1.3")) {
      SSLParameters only = new SSLParameters();
      only.setProtocols(new String[] {protocol});
      HttpClient pinned = HttpClient.newBuilder().sslContext(trusting(dir.resolve("ca.pem"))).sslParameters(only)
          .build();

      HttpResponse<String> answer = pinned.send(HttpRequest.newBuilder(base.resolve("/healthz")).build(),
          HttpResponse.BodyHandlers.ofString());

      assertThat(answer.sslSession().orElseThrow().getProtocol()).isEqualTo(protocol);
      assertThat(answer.statusCode()).isEqualTo(200);
    }
  }

  @Test
  void refusesTlsOlderThan12() throws Exception {
    SSLParameters tls11 = new SSLParameters();
    tls11.setProtocols(new String[] {"TLSv1.1"});
    HttpClient old = HttpClient.newBuilder().sslContext(trusting(dir.resolve("ca.pem"))).sslParameters(tls11)
        .build();

    assertThatThrownBy(() -> old.send(HttpRequest.newBuilder(base.resolve("/healthz")).build(),
        HttpResponse.BodyHandlers.ofString())).isInstanceOf(SSLHandshakeException.class);
  }

  private static ObjectNode review(String uid, ObjectNode pod) {
    ObjectNode review = JSON.createObjectNode();
    review.put("apiVersion", "admission.k8s.io/v1");
    review.put("kind", "AdmissionReview");
    ObjectNode request = review.putObject("request");
    request.put("uid", uid);
    request.putObject("kind").put("group", "").put("version", "v1").put("kind", "Pod");
    request.putObject("resource").put("group", "").put("version", "v1").put("resource", "pods");
    request.put("namespace", "xxx");
    request.put("operation", "CREATE");
    request.set("object", pod);
    return review;
  }

  private static JsonNode admit(ObjectNode review) throws IOException, InterruptedException {
    HttpResponse<String> answer = post(review.toString());
    assertThat(answer.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(answer.body());
    assertThat(body.path("apiVersion").asString()).isEqualTo("admission.k8s.io/v1");
    assertThat(body.path("kind").asString()).isEqualTo("AdmissionReview");
    return body;
  }

  private static HttpResponse<String> post(String body) throws IOException, InterruptedException {
    return client.send(HttpRequest.newBuilder(base.resolve("/mutate-v1-pod"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String env(JsonNode pod, String name) {
    for (JsonNode env : pod.at("/spec/containers/0/env")) {
      if (env.path("name").asString().equals(name)) {
        return env.path("value").asString();
      }
    }
    return null;
  }

  static SSLContext trusting(Path caPem) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    List<X509Certificate> cas = Pem.certificates(Files.readString(caPem, StandardCharsets.US_ASCII),
        caPem.toString());
    for (int i = 0; i < cas.size(); i++) {
      trust.setCertificateEntry("ca" + i, cas.get(i));
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }
}
