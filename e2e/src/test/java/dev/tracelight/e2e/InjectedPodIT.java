package dev.tracelight.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The injected sample pods, run for real. The injector's {@code inject} mutates samples/k8s/test.yaml and test1.yaml
 * with samples/k8s/instrumentation.yaml; {@link KubeletPod} runs the result with Docker as a kubelet would (init
 * container from the built init image, emptyDir, fieldRefs, {@code $(VAR)}), next to collector-lite run from
 * deploy/collector-lite's DaemonSet and config, and Redis from samples/k8s/redis.yaml. The trace must arrive at the
 * collector with each pod's {@code k8s.*} resource. Skipped, saying why, when no Docker engine answers.
 */
class InjectedPodIT {
  private static final Path ROOT = Path.of(System.getProperty("tracelight.root", "..")).toAbsolutePath().normalize();
  private static final String VERSION = System.getProperty("tracelight.version", "0.1.0-SNAPSHOT");
  private static final String NAMESPACE = "tracelight-samples";
  private static final String NODE = "e2e-node";
  private static final String JRE_IMAGE = "tracelight-e2e/jre:17";
  private static final String REDIS_IMAGE = "tracelight-e2e/redis:7";
  private static final Path REDIS_SERVER = Path.of("/usr/bin/redis-server");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static final List<KubeletPod> pods = new ArrayList<>();
  private static String network;
  private static boolean redis;
  private static KubeletPod collector;
  private static KubeletPod test;
  private static KubeletPod test1;
  private static String traceView;
  private static String testService;

  @BeforeAll
  static void runThePods() throws Exception {
    String reason = Docker.unavailableReason();
    assumeTrue(reason == null, () -> "skipped: needs a Docker engine (" + reason + "); CI installs docker.io and "
        + "starts dockerd");
    Path initImage = ROOT.resolve("init-image/target/init-image.tar");
    assumeTrue(Files.isRegularFile(initImage), () -> "skipped: " + initImage + " was not built (no /bin/busybox: "
        + "apt-get install -y busybox-static)");
    redis = Files.isExecutable(REDIS_SERVER);
    buildImages();
    String subnet = createNetwork();
    Map<String, JsonNode> injected = injectedDeployments();

    collector = pod(daemonSetSpec(), "otelcol-collector-" + random(5), "tracelight", subnet + ".10")
        .alias("otelcol-collector.tracelight.svc.cluster.local", "otelcol-collector.tracelight")
        .configMap("otelcol-config", Map.of("config.yaml", collectorConfig()))
        .publish(13133).publish(16686)
        .build();
    start(collector);
    if (redis) {
      start(pod(redisSpec(), podName("redis"), NAMESPACE, subnet + ".11")
          .alias("redis", "redis." + NAMESPACE + ".svc.cluster.local")
          .image("redis:7", REDIS_IMAGE)
          .build());
    }
    test1 = pod(injected.get("test1"), podName("test1"), NAMESPACE, subnet + ".12")
        .alias("test1", "test1." + NAMESPACE + ".svc.cluster.local").publish(8001).build();
    start(test1);
    test = pod(injected.get("test"), podName("test"), NAMESPACE, subnet + ".13")
        .alias("test", "test." + NAMESPACE + ".svc.cluster.local").publish(8000).build();
    start(test);

    traceView = "http://127.0.0.1:" + collector.hostPort("collector-lite", 16686);
    String health = "http://127.0.0.1:" + collector.hostPort("collector-lite", 13133) + "/";
    testService = "http://127.0.0.1:" + test.hostPort("test", 8000);
    awaitOk(health, collector, "collector-lite", 60);
    // Both services ready, as their readiness probes would say, before the first request.
    awaitOk("http://127.0.0.1:" + test1.hostPort("test1", 8001) + "/users", test1, "test1", 240);
    awaitOk(testService + "/", test, "test", 240);
  }

  @AfterAll
  static void removeThePods() throws IOException {
    for (KubeletPod pod : pods) {
      pod.close();
    }
    if (network != null) {
      Docker.remove(List.of(), List.of(network));
    }
  }

  @Test
  void traceAcrossTheInjectedPodsArrivesWithEachPodsKubernetesResource() throws Exception {
    long since = System.currentTimeMillis();
    assertThat(get(testService + "/users/2").statusCode()).isEqualTo(200);

    JsonNode trace = awaitTrace(since, t -> t.path("spanCount").asInt() >= (redis ? 6 : 4)
        && t.path("services").toString().contains("test1"));

    List<String> tree = new ArrayList<>();
    for (JsonNode span : trace.path("spans")) {
      tree.add(span.path("service").asText() + " " + span.path("kind").asText() + " " + span.path("name").asText());
    }
    List<String> expected = new ArrayList<>(List.of("test SERVER GET /users/{id}"));
    if (redis) {
      expected.add("test CLIENT GET");
    }
    expected.addAll(List.of("test CLIENT GET", "test1 SERVER GET /users/{id}", "test1 CLIENT SELECT users"));
    if (redis) {
      expected.add("test CLIENT SETEX");
    }
    assertThat(tree).containsExactlyElementsOf(expected);

    assertThat(resourceOf(trace, "test")).containsAllEntriesOf(kubernetesResource(test, "test"));
    assertThat(resourceOf(trace, "test1")).containsAllEntriesOf(kubernetesResource(test1, "test1"));
  }

  @Test
  void cacheHitIsTracedAsTheRedisHopOnly() throws Exception {
    assumeTrue(redis, "skipped: needs Debian's redis-server to build the Redis image (apt-get install redis-server)");
    assertThat(get(testService + "/users/3").headers().firstValue("X-Cache")).hasValue("miss");
    long since = System.currentTimeMillis();
    HttpResponse<String> hit = get(testService + "/users/3");
    assertThat(hit.headers().firstValue("X-Cache")).hasValue("hit");

    JsonNode trace = awaitTrace(since, t -> t.path("spanCount").asInt() == 2);

    assertThat(trace.path("spans").get(1).path("attributes").path("db.system.name").asText()).isEqualTo("redis");
    assertThat(trace.path("spans").get(1).path("attributes").path("server.address").asText()).isEqualTo("redis");
  }

  @Test
  void initContainerCopiedTheAgentIntoTheSharedVolumeAsTheImagesUser() throws Exception {
    Path copied = test.volume("opentelemetry-auto-instrumentation-java").resolve("javaagent.jar");

    assertThat(Files.readAllBytes(copied))
        .as("the agent in the pod is agent/target/javaagent.jar as built now (after rebuilding the agent alone, "
            + "rebuild init-image too)")
        .isEqualTo(Files.readAllBytes(ROOT.resolve("agent/target/javaagent.jar")));
    assertThat(Files.getAttribute(copied, "unix:uid")).isEqualTo(65532);
  }

  @Test
  void collectorRunsAsTheDaemonSetSays() throws Exception {
    String state = Docker.ok("inspect", "--format",
        "{{.Config.User}} {{.HostConfig.ReadonlyRootfs}} {{.HostConfig.Memory}} {{.HostConfig.CapDrop}}",
        "e2e-" + collector.name() + "-collector-lite");

    assertThat(state).isEqualTo("65532:65532 true 536870912 [ALL]");
  }

  /** What the injector promised (deploy/examples, injector README) and the kubelet filled in. */
  private static Map<String, String> kubernetesResource(KubeletPod pod, String container) {
    return Map.of(
        "service.name", container,
        "k8s.namespace.name", NAMESPACE,
        "k8s.deployment.name", container,
        "k8s.container.name", container,
        "k8s.pod.name", pod.name(),
        "k8s.node.name", NODE,
        "service.instance.id", NAMESPACE + "." + pod.name() + "." + container,
        "service.namespace", NAMESPACE,
        "service.version", VERSION,
        "telemetry.distro.name", "tracelight");
  }

  private static Map<String, String> resourceOf(JsonNode trace, String service) {
    for (JsonNode span : trace.path("spans")) {
      if (span.path("service").asText().equals(service)) {
        Map<String, String> resource = new HashMap<>();
        span.path("resource").path("attributes").fields()
            .forEachRemaining(e -> resource.put(e.getKey(), e.getValue().asText()));
        return resource;
      }
    }
    throw new AssertionError("no span of " + service + " in " + trace);
  }

  /**
   * The trace rooted at test that started after {@code sinceMillis} and that {@code complete} accepts, waiting for the
   * agents' batches and the collector's batch timeout (10 s in the DaemonSet's config).
   */
  private static JsonNode awaitTrace(long sinceMillis, java.util.function.Predicate<JsonNode> complete) {
    AtomicReference<JsonNode> found = new AtomicReference<>();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
      JsonNode traces = JSON.readTree(get(traceView + "/api/traces?service=test&limit=20").body()).path("traces");
      for (JsonNode trace : traces) {
        if (Long.parseLong(trace.path("startTimeUnixNano").asText()) / 1_000_000 >= sinceMillis
            && complete.test(trace)) {
          found.set(JSON.readTree(get(traceView + "/api/traces/" + trace.path("traceId").asText()).body()));
          return true;
        }
      }
      return false;
    });
    return found.get();
  }

  private static void buildImages() throws IOException {
    Map<String, String> previous = new HashMap<>();
    for (String image : List.of(JRE_IMAGE, REDIS_IMAGE, "tracelight/init-image:" + VERSION,
        "tracelight/collector-lite:" + VERSION, "tracelight/sample-test:" + VERSION, "tracelight/sample-test1:" + VERSION)) {
      String id = Docker.imageId(image);
      if (id != null) {
        previous.put(image, id);
      }
    }
    Docker.ok("load", "-i", ROOT.resolve("init-image/target/init-image.tar").toString());
    Path javaHome = Path.of(System.getProperty("java.home"));
    List<Path> natives = new ArrayList<>(List.of(javaHome.resolve("bin/java"), javaHome.resolve("lib/server/libjvm.so")));
    try (var libs = Files.list(javaHome.resolve("lib"))) {
      // Headless: the desktop libraries' dependencies (X11, GTK, ALSA) are left out.
      libs.filter(p -> p.toString().endsWith(".so"))
          .filter(p -> !p.getFileName().toString().matches(
              "lib(awt.*|fontmanager|jawt|splashscreen|lcms|javajpeg|mlib_image|jsound|j2pcsc|j2gss|attach|saproc)\\.so"))
          .forEach(natives::add);
    }
    RootFileSystem.create()
        .tree(javaHome, p -> !javaHome.relativize(p).toString().matches("(jmods|man|docs|include|demo)/.*|lib/src\\.zip"))
        .withLibraries(natives)
        .importAs(JRE_IMAGE, List.of("ENV PATH=" + javaHome.resolve("bin") + ":/usr/bin:/bin",
            "ENV JAVA_HOME=" + javaHome));
    if (redis) {
      // The official image's entrypoint turns protected mode off when no config file is given; so does this one.
      RootFileSystem.create().withLibraries(List.of(REDIS_SERVER)).importAs(REDIS_IMAGE,
          List.of("ENTRYPOINT [\"/usr/bin/redis-server\", \"--protected-mode\", \"no\"]"));
    }
    Docker.ok("build", "-q", "--build-arg", "BASE=" + JRE_IMAGE, "-t", "tracelight/collector-lite:" + VERSION,
        ROOT.resolve("collector-lite").toString());
    for (String[] sample : new String[][] {{"test", "test-service"}, {"test1", "user-service"}}) {
      Docker.ok("build", "-q", "-f", ROOT.resolve("samples/Dockerfile").toString(), "--build-arg", "BASE=" + JRE_IMAGE,
          "--build-arg", "JAR=" + sample[1] + "-exec.jar", "-t", "tracelight/sample-" + sample[0] + ":" + VERSION,
          ROOT.resolve("samples/" + sample[1] + "/target").toString());
    }
    for (Map.Entry<String, String> image : previous.entrySet()) {
      Docker.removeIfReplaced(image.getKey(), image.getValue());
    }
  }

  /** A network with a subnet of its own, so that pods get fixed IPs (the kubelet knows the pod IP before start). */
  private static String createNetwork() throws IOException {
    String name = "tracelight-e2e-" + random(6);
    SecureRandom random = new SecureRandom();
    for (int attempt = 0; attempt < 5; attempt++) {
      String prefix = "10.213." + random.nextInt(250);
      Docker.Result created = Docker.run(List.of("network", "create", "--subnet", prefix + ".0/24", name));
      if (created.exitCode() == 0) {
        network = name;
        return prefix;
      }
    }
    throw new AssertionError("could not create a Docker network with a free 10.213.x.0/24 subnet");
  }

  /** `inject` of the samples' Deployments, as a user runs it: the shaded jar, the Instrumentation file. */
  private static Map<String, JsonNode> injectedDeployments() throws Exception {
    Path manifest = Files.createTempFile("samples", ".yaml");
    Files.writeString(manifest, Files.readString(ROOT.resolve("samples/k8s/test1.yaml")) + "\n---\n"
        + Files.readString(ROOT.resolve("samples/k8s/test.yaml")));
    Path out = Files.createTempFile("injected", ".json");
    Process inject = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        ROOT.resolve("injector-webhook/target/injector-webhook.jar").toString(), "inject", "-f", manifest.toString(),
        "--instrumentation", ROOT.resolve("samples/k8s/instrumentation.yaml").toString(), "-o", "json")
        .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    assertThat(inject.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(inject.exitValue()).as("inject exit status").isZero();
    Map<String, JsonNode> deployments = new HashMap<>();
    for (JsonNode item : JSON.readTree(out.toFile()).path("items")) {
      if (item.path("kind").asText().equals("Deployment")) {
        deployments.put(item.path("metadata").path("name").asText(), item.path("spec").path("template").path("spec"));
      }
    }
    Files.delete(manifest);
    Files.delete(out);
    assertThat(deployments).containsOnlyKeys("test", "test1");
    return deployments;
  }

  private static JsonNode daemonSetSpec() throws IOException {
    return new YAMLMapper().readTree(ROOT.resolve("deploy/collector-lite/base/daemonset.yaml").toFile())
        .path("spec").path("template").path("spec");
  }

  /** deploy/collector-lite's config, its trace view opened to the test (in the cluster it stays on loopback). */
  private static String collectorConfig() throws IOException {
    String config = Files.readString(ROOT.resolve("deploy/collector-lite/base/config.yaml"));
    assertThat(config).contains("endpoint: 127.0.0.1:16686");
    return config.replace("endpoint: 127.0.0.1:16686", "endpoint: 0.0.0.0:16686");
  }

  private static JsonNode redisSpec() throws IOException {
    List<JsonNode> documents = new YAMLMapper().readerFor(JsonNode.class)
        .<JsonNode>readValues(ROOT.resolve("samples/k8s/redis.yaml").toFile()).readAll();
    for (JsonNode document : documents) {
      if (document.path("kind").asText().equals("Deployment")) {
        return document.path("spec").path("template").path("spec");
      }
    }
    throw new AssertionError("no Deployment in samples/k8s/redis.yaml");
  }

  private static KubeletPod.Builder pod(JsonNode spec, String name, String namespace, String ip) throws IOException {
    String gateway = Docker.ok("network", "inspect", "--format", "{{(index .IPAM.Config 0).Gateway}}", network);
    return KubeletPod.builder(spec).name(name).namespace(namespace).node(NODE, gateway.isEmpty() ? ip : gateway)
        .network(network, ip);
  }

  private static void start(KubeletPod pod) throws IOException {
    pods.add(pod);
    pod.start();
  }

  private static void awaitOk(String url, KubeletPod pod, String container, int seconds) throws IOException {
    try {
      await().atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
          .until(() -> get(url).statusCode() == 200);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(url + " did not answer 200 within " + seconds + " s; " + container + "'s log:\n"
          + pod.logs(container), e);
    }
  }

  private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A Deployment's pod name: {@code <deployment>-<pod-template-hash>-<suffix>}, as the ReplicaSet makes it. */
  private static String podName(String deployment) {
    return deployment + "-" + random(10) + "-" + random(5);
  }

  private static String random(int length) {
    String alphabet = "bcdfghjklmnpqrstvwxz2456789";
    SecureRandom random = new SecureRandom();
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < length; i++) {
      s.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return s.toString();
  }
}
