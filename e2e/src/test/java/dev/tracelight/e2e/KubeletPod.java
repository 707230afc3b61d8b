package dev.tracelight.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a pod spec with Docker the way a kubelet would, as far as these tests need: one network identity (the pod IP,
 * the pod name as host name, the Services' DNS names as aliases), emptyDir and configMap volumes as host directories,
 * init containers one after the other (each must exit 0), then the containers; env with fieldRefs filled and
 * {@code $(VAR)} expanded; command/args; user, read-only root, capabilities and memory/CPU limits from the spec.
 * Anything else in a spec (secrets, probes, service links…) is refused or ignored, never faked.
 */
final class KubeletPod implements AutoCloseable {
  private static final Pattern LABEL_OR_ANNOTATION = Pattern.compile("metadata\\.(labels|annotations)\\['(.+)'\\]");

  private final JsonNode spec;
  private final String name;
  private final String namespace;
  private final String uid = UUID.randomUUID().toString();
  private final String nodeName;
  private final String podIp;
  private final String hostIp;
  private final String network;
  private final List<String> aliases;
  private final Map<String, Map<String, String>> configMaps;
  private final Map<String, String> images;
  private final List<Integer> published;
  private final Map<String, Path> volumes = new HashMap<>();
  private final List<String> started = new ArrayList<>();

  private KubeletPod(Builder builder) {
    this.spec = builder.spec;
    this.name = builder.name;
    this.namespace = builder.namespace;
    this.nodeName = builder.nodeName;
    this.podIp = builder.podIp;
    this.hostIp = builder.hostIp;
    this.network = builder.network;
    this.aliases = List.copyOf(builder.aliases);
    this.configMaps = Map.copyOf(builder.configMaps);
    this.images = Map.copyOf(builder.images);
    this.published = List.copyOf(builder.published);
  }

  static Builder builder(JsonNode podSpec) {
    return new Builder(podSpec);
  }

  String name() {
    return name;
  }

  /** The host directory behind a volume (an emptyDir's content, as the kubelet keeps it on the node). */
  Path volume(String volume) {
    return volumes.get(volume);
  }

  /** Creates the volumes, runs the init containers to completion, then starts the containers. */
  KubeletPod start() throws IOException {
    for (JsonNode volume : spec.path("volumes")) {
      volumes.put(volume.path("name").asText(), volume(volume));
    }
    for (JsonNode init : spec.path("initContainers")) {
      String container = containerName(init);
      started.add(container);
      List<String> args = new ArrayList<>(List.of("run", "--name", container));
      args.addAll(containerOptions(init, false));
      Docker.Result result = Docker.run(args);
      String logs = Docker.run(List.of("logs", container)).stderr();
      if (result.exitCode() != 0) {
        throw new AssertionError("init container " + init.path("name").asText() + " of pod " + name + " exited "
            + result.exitCode() + ": " + result.stderr().strip() + " " + logs.strip());
      }
    }
    for (JsonNode container : spec.path("containers")) {
      String containerName = containerName(container);
      started.add(containerName);
      List<String> args = new ArrayList<>(List.of("run", "-d", "--name", containerName));
      args.addAll(containerOptions(container, true));
      Docker.ok(args);
    }
    return this;
  }

  /** The host port (on 127.0.0.1) that a published container port is reachable at. */
  int hostPort(String container, int port) throws IOException {
    String mapping = Docker.ok("port", containerName(container), port + "/tcp");
    return Integer.parseInt(mapping.lines().findFirst().orElseThrow().replaceAll(".*:", ""));
  }

  String logs(String container) throws IOException {
    Docker.Result logs = Docker.run(List.of("logs", "--tail", "60", containerName(container)));
    return logs.stdout() + logs.stderr();
  }

  @Override
  public void close() throws IOException {
    Docker.remove(started, List.of());
    for (Path directory : volumes.values()) {
      try (var walk = Files.walk(directory)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private String containerName(JsonNode container) {
    return containerName(container.path("name").asText());
  }

  private String containerName(String container) {
    return "e2e-" + name + "-" + container;
  }

  private Path volume(JsonNode volume) throws IOException {
    Path directory = Files.createTempDirectory("pod-volume");
    if (volume.has("emptyDir")) {
      // What the kubelet makes for an emptyDir: a directory any user of the pod may write to.
      Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxrwxrwx"));
    } else if (volume.has("configMap")) {
      String configMap = volume.path("configMap").path("name").asText();
      Map<String, String> data = configMaps.get(configMap);
      if (data == null) {
        throw new AssertionError("pod " + name + ": configMap " + configMap + " is not given to the test's kubelet");
      }
      for (Map.Entry<String, String> file : data.entrySet()) {
        Files.writeString(directory.resolve(file.getKey()), file.getValue());
        Files.setPosixFilePermissions(directory.resolve(file.getKey()), PosixFilePermissions.fromString("rw-r--r--"));
      }
      Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
    } else {
      throw new AssertionError("pod " + name + ": volume " + volume + " is of a type this test's kubelet does not run");
    }
    return directory;
  }

  private List<String> containerOptions(JsonNode container, boolean serving) throws IOException {
    List<String> args = new ArrayList<>();
    args.addAll(List.of("--network", network, "--hostname", name));
    if (serving) {
      // Init containers run before the pod is reachable; the containers share the pod's one IP and names.
      args.addAll(List.of("--ip", podIp));
      aliases.forEach(alias -> args.addAll(List.of("--network-alias", alias)));
      published.forEach(port -> args.addAll(List.of("-p", "127.0.0.1::" + port)));
    }
    JsonNode podContext = spec.path("securityContext");
    JsonNode context = container.path("securityContext");
    String image = images.getOrDefault(container.path("image").asText(), container.path("image").asText());
    String user = user(context, podContext, image);
    if (user != null) {
      args.addAll(List.of("--user", user));
    }
    if (context.path("readOnlyRootFilesystem").asBoolean(false)) {
      args.add("--read-only");
    }
    context.path("capabilities").path("drop").forEach(c -> args.addAll(List.of("--cap-drop", c.asText())));
    context.path("capabilities").path("add").forEach(c -> args.addAll(List.of("--cap-add", c.asText())));
    if (!context.path("allowPrivilegeEscalation").asBoolean(true)) {
      args.addAll(List.of("--security-opt", "no-new-privileges"));
    }
    JsonNode limits = container.path("resources").path("limits");
    if (limits.has("memory")) {
      args.addAll(List.of("--memory", String.valueOf(Quantities.bytes(limits.path("memory").asText()))));
    }
    if (limits.has("cpu")) {
      args.addAll(List.of("--cpus", String.valueOf(Quantities.cores(limits.path("cpu").asText()))));
    }
    for (JsonNode mount : container.path("volumeMounts")) {
      Path directory = volumes.get(mount.path("name").asText());
      if (directory == null) {
        throw new AssertionError("pod " + name + ": container " + container.path("name").asText()
            + " mounts volume " + mount.path("name").asText() + ", which the pod does not have");
      }
      args.addAll(List.of("-v", directory + ":" + mount.path("mountPath").asText()
          + (mount.path("readOnly").asBoolean(false) ? ":ro" : "")));
    }
    if (container.has("workingDir")) {
      args.addAll(List.of("-w", container.path("workingDir").asText()));
    }
    Map<String, String> env = env(container);
    env.forEach((key, value) -> args.addAll(List.of("-e", key + "=" + value)));
    List<String> command = strings(container.path("command"), env);
    List<String> commandArgs = strings(container.path("args"), env);
    if (!command.isEmpty()) {
      args.addAll(List.of("--entrypoint", command.get(0)));
    }
    args.add(image);
    if (!command.isEmpty()) {
      args.addAll(command.subList(1, command.size()));
    }
    args.addAll(commandArgs);
    return args;
  }

  /** The user to run as; with runAsNonRoot, a root or non-numeric image user is refused, as the kubelet does. */
  private static String user(JsonNode context, JsonNode podContext, String image) throws IOException {
    JsonNode uid = context.has("runAsUser") ? context.path("runAsUser") : podContext.path("runAsUser");
    JsonNode gid = context.has("runAsGroup") ? context.path("runAsGroup") : podContext.path("runAsGroup");
    boolean nonRoot = context.path("runAsNonRoot").asBoolean(podContext.path("runAsNonRoot").asBoolean(false));
    if (uid.isMissingNode()) {
      String imageUser = Docker.ok("image", "inspect", "--format", "{{.Config.User}}", image);
      String imageUid = imageUser.split(":")[0];
      if (nonRoot && (imageUid.isEmpty() || !imageUid.matches("\\d+") || imageUid.equals("0"))) {
        throw new AssertionError("image " + image + " runs as user '" + imageUser + "': with runAsNonRoot the "
            + "kubelet refuses it (container has runAsNonRoot and image has non-numeric user or will run as root)");
      }
      return gid.isMissingNode() ? null : (imageUid.isEmpty() ? "0" : imageUid) + ":" + gid.asText();
    }
    if (nonRoot && uid.asLong() == 0) {
      throw new AssertionError("runAsUser 0 with runAsNonRoot: the kubelet refuses to start it");
    }
    return uid.asText() + (gid.isMissingNode() ? "" : ":" + gid.asText());
  }

  /** The container's env, in order, with fieldRefs filled and references to earlier variables expanded. */
  private Map<String, String> env(JsonNode container) {
    Map<String, String> env = new LinkedHashMap<>();
    for (JsonNode variable : container.path("env")) {
      String key = variable.path("name").asText();
      if (variable.has("value")) {
        env.put(key, EnvExpansion.expand(variable.path("value").asText(), env));
      } else if (variable.path("valueFrom").has("fieldRef")) {
        env.put(key, field(variable.path("valueFrom").path("fieldRef").path("fieldPath").asText()));
      } else if (variable.has("valueFrom")) {
        throw new AssertionError("pod " + name + ": env " + key + " comes from " + variable.path("valueFrom")
            + ", which this test's kubelet does not provide");
      } else {
        env.put(key, "");
      }
    }
    return env;
  }

  private String field(String path) {
    switch (path) {
      case "metadata.name":
        return name;
      case "metadata.namespace":
        return namespace;
      case "metadata.uid":
        return uid;
      case "spec.nodeName":
        return nodeName;
      case "spec.serviceAccountName":
        return spec.path("serviceAccountName").asText("default");
      case "status.podIP":
        return podIp;
      case "status.hostIP":
        return hostIp;
      default:
        Matcher matcher = LABEL_OR_ANNOTATION.matcher(path);
        if (matcher.matches()) {
          throw new AssertionError("pod " + name + ": fieldRef " + path + " (labels/annotations) is not provided");
        }
        throw new AssertionError("pod " + name + ": unknown fieldRef " + path);
    }
  }

  private static List<String> strings(JsonNode array, Map<String, String> env) {
    List<String> strings = new ArrayList<>();
    array.forEach(item -> strings.add(EnvExpansion.expand(item.asText(), env)));
    return strings;
  }

  static final class Builder {
    private final JsonNode spec;
    private String name;
    private String namespace = "default";
    private String nodeName = "e2e-node";
    private String podIp;
    private String hostIp;
    private String network;
    private final List<String> aliases = new ArrayList<>();
    private final Map<String, Map<String, String>> configMaps = new HashMap<>();
    private final Map<String, String> images = new HashMap<>();
    private final List<Integer> published = new ArrayList<>();

    private Builder(JsonNode spec) {
      this.spec = spec;
    }

    Builder name(String name) {
      this.name = name;
      return this;
    }

    Builder namespace(String namespace) {
      this.namespace = namespace;
      return this;
    }

    Builder node(String nodeName, String hostIp) {
      this.nodeName = nodeName;
      this.hostIp = hostIp;
      return this;
    }

    Builder network(String network, String podIp) {
      this.network = network;
      this.podIp = podIp;
      return this;
    }

    /** DNS names of the Services that select this pod. */
    Builder alias(String... names) {
      aliases.addAll(List.of(names));
      return this;
    }

    Builder configMap(String name, Map<String, String> files) {
      configMaps.put(name, files);
      return this;
    }

    /** Runs {@code local} where the spec names {@code image} (an image from a registry this machine cannot reach). */
    Builder image(String image, String local) {
      images.put(image, local);
      return this;
    }

    Builder publish(int port) {
      published.add(port);
      return this;
    }

    KubeletPod build() {
      return new KubeletPod(this);
    }
  }
}
