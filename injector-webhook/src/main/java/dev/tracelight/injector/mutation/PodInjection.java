package dev.tracelight.injector.mutation;

import dev.tracelight.injector.instrumentation.Instrumentation;
import dev.tracelight.injector.instrumentation.InstrumentationCatalog;
import dev.tracelight.injector.instrumentation.InstrumentationCheck;
import dev.tracelight.injector.instrumentation.InstrumentationSpec;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The mutation core: (pod, its namespace, its owners, the Instrumentations) → the pod with the Java agent, or the
 * pod unchanged and why. No I/O; the webhook and the {@code inject} command are thin shells around it.
 *
 * <p>What it adds is the operator's Java injection (see the README for every departure): an init container copying
 * {@code /javaagent.jar} into an emptyDir, the volume mount and {@code -javaagent} in JAVA_TOOL_OPTIONS of each target
 * container, and the OTEL_* variables, each only when the container does not set it already.
 */
public final class PodInjection {

  public static final String INIT_CONTAINER = "opentelemetry-auto-instrumentation-java";
  public static final String VOLUME = "opentelemetry-auto-instrumentation-java";
  public static final String MOUNT_PATH = "/otel-auto-instrumentation-java";
  public static final String JAVAAGENT = "-javaagent:" + MOUNT_PATH + "/javaagent.jar";
  /** Holds a JAVA_TOOL_OPTIONS the user gave through valueFrom, so that JAVA_TOOL_OPTIONS can extend it. */
  public static final String APP_JAVA_TOOL_OPTIONS = "TRACELIGHT_APP_JAVA_TOOL_OPTIONS";
  static final String JAVA_TOOL_OPTIONS = "JAVA_TOOL_OPTIONS";
  static final String RESOURCE_ATTRIBUTES = "OTEL_RESOURCE_ATTRIBUTES";
  static final String ENDPOINT = "OTEL_EXPORTER_OTLP_ENDPOINT";
  static final String PROTOCOL = "OTEL_EXPORTER_OTLP_PROTOCOL";
  static final String DEFAULT_VOLUME_SIZE = "200Mi";

  private final String defaultJavaImage;

  private PodInjection(String defaultJavaImage) {
    this.defaultJavaImage = defaultJavaImage;
  }

  /** @param defaultJavaImage the init image used when the Instrumentation has no spec.java.image */
  public static PodInjection create(String defaultJavaImage) {
    return new PodInjection(defaultJavaImage);
  }

  /**
   * Injects the agent if the pod or its namespace asks for it.
   *
   * @param namespace the metadata of the pod's Namespace (its annotations may ask for injection), or null
   */
  public InjectionOutcome inject(Pod pod, ObjectMeta namespace, Owners owners, InstrumentationCatalog catalog) {
    if (pod.getMetadata() == null) {
      pod = new PodBuilder(pod).withNewMetadata().endMetadata().build();
    }
    ObjectMeta podMeta = pod.getMetadata();
    String podNamespace = podMeta.getNamespace() != null ? podMeta.getNamespace()
        : namespace != null && namespace.getName() != null ? namespace.getName() : "default";
    InjectionRequest request = InjectionRequest.resolve(podNamespace, podMeta.getAnnotations(),
        namespace == null ? null : namespace.getAnnotations());
    if (!request.requested()) {
      return new InjectionOutcome(InjectionOutcome.Status.NOT_REQUESTED, pod, null, List.of());
    }
    if (request.problem() != null) {
      return refused(pod, null, List.of(request.problem()));
    }
    if (isInjected(pod)) {
      return new InjectionOutcome(InjectionOutcome.Status.ALREADY_INJECTED, pod, null, List.of());
    }
    InstrumentationCatalog.Selection selection = catalog.select(request.namespace(), request.name());
    if (selection.problem() != null) {
      return refused(pod, null, List.of(selection.problem()));
    }
    Instrumentation instrumentation = selection.instrumentation();
    List<String> problems = InstrumentationCheck.problems(instrumentation);
    if (!problems.isEmpty()) {
      return refused(pod, instrumentation, problems);
    }
    TargetContainers.Choice choice = TargetContainers.choose(pod);
    if (choice.problem() != null) {
      return refused(pod, instrumentation, List.of(choice.problem()));
    }

    Pod mutated = new PodBuilder(pod).build();
    InstrumentationSpec spec = instrumentation.getSpec();
    List<String> warnings = new ArrayList<>();
    if (spec.java() != null && !spec.java().extensions().isEmpty()) {
      warnings.add("Instrumentation " + instrumentation.qualifiedName()
          + ": spec.java.extensions is not supported by this injector and was ignored");
    }
    List<Container> containers = new ArrayList<>(mutated.getSpec().getContainers());
    Container firstTarget = null;
    for (int i = 0; i < containers.size(); i++) {
      Container container = containers.get(i);
      if (!choice.names().contains(container.getName())) {
        continue;
      }
      Optional<String> problem = javaToolOptionsProblem(container);
      if (problem.isPresent()) {
        warnings.add("container " + container.getName() + ": " + problem.get() + "; the agent was not added to it");
        continue;
      }
      containers.set(i, injectContainer(mutated, podNamespace, owners, container, spec));
      firstTarget = firstTarget == null ? container : firstTarget;
    }
    if (firstTarget == null) {
      return refused(pod, instrumentation, warnings);
    }
    mutated.getSpec().setContainers(containers);
    addVolumes(mutated, spec);
    mutated.getSpec().setInitContainers(withInitContainer(mutated.getSpec().getInitContainers(), spec,
        firstTarget));
    return new InjectionOutcome(InjectionOutcome.Status.INJECTED, mutated, instrumentation, warnings);
  }

  /** The operator's own markers, so that pods it injected are not injected twice either. */
  static boolean isInjected(Pod pod) {
    if (pod.getSpec() == null) {
      return false;
    }
    if (pod.getSpec().getInitContainers() != null
        && pod.getSpec().getInitContainers().stream().anyMatch(c -> INIT_CONTAINER.equals(c.getName()))) {
      return true;
    }
    return pod.getSpec().getContainers() != null && pod.getSpec().getContainers().stream()
        .anyMatch(c -> c.getEnv() != null && c.getEnv().stream()
            .anyMatch(e -> ResourceAttributes.NODE_NAME_VAR.equals(e.getName())));
  }

  private static InjectionOutcome refused(Pod pod, Instrumentation instrumentation, List<String> warnings) {
    List<String> messages = new ArrayList<>();
    for (String warning : warnings) {
      messages.add("tracelight: not injected: " + warning);
    }
    return new InjectionOutcome(InjectionOutcome.Status.REFUSED, pod, instrumentation, messages);
  }

  /** A JAVA_TOOL_OPTIONS from an optional source may be missing, and "$(VAR)" would then reach the JVM verbatim. */
  private static Optional<String> javaToolOptionsProblem(Container container) {
    EnvList env = new EnvList(container.getEnv());
    Optional<EnvVar> options = env.get(JAVA_TOOL_OPTIONS);
    if (options.isEmpty() || options.get().getValueFrom() == null) {
      return Optional.empty();
    }
    EnvVarSource source = options.get().getValueFrom();
    ConfigMapKeySelector configMap = source.getConfigMapKeyRef();
    SecretKeySelector secret = source.getSecretKeyRef();
    if (configMap != null && Boolean.TRUE.equals(configMap.getOptional())
        || secret != null && Boolean.TRUE.equals(secret.getOptional())) {
      return Optional.of("JAVA_TOOL_OPTIONS comes from an optional " + (secret != null ? "Secret" : "ConfigMap")
          + " key, which cannot be extended safely (make it non-optional, or add " + JAVAAGENT + " to it)");
    }
    return Optional.empty();
  }

  private Container injectContainer(Pod pod, String namespace, Owners owners, Container container,
                                    InstrumentationSpec spec) {
    EnvList env = new EnvList(container.getEnv());
    env.prependFieldRefIfAbsent("OTEL_POD_IP", "status.podIP");
    env.prependFieldRefIfAbsent("OTEL_NODE_IP", "status.hostIP");
    if (spec.java() != null) {
      spec.java().env().forEach(env::addIfAbsent);
    }
    spec.env().forEach(env::addIfAbsent);
    addJavaAgent(env);
    boolean useLabels = spec.defaults() != null && spec.defaults().usesLabels();
    env.addIfAbsent("OTEL_SERVICE_NAME", ServiceNameResolver.resolve(pod, owners, container.getName(), useLabels));
    if (spec.exporter() != null && spec.exporter().endpoint() != null) {
      env.addIfAbsent(ENDPOINT, spec.exporter().endpoint().trim());
    }
    env.value(ENDPOINT).flatMap(OtlpProtocol::forEndpoint).ifPresent(protocol -> env.addIfAbsent(PROTOCOL, protocol));
    ExporterTls.of(spec).addEnv(env);
    env.addFieldRefIfAbsent(ResourceAttributes.POD_NAME_VAR, "metadata.name");
    if (spec.resource() != null && spec.resource().addsUids()) {
      env.addFieldRefIfAbsent(ResourceAttributes.POD_UID_VAR, "metadata.uid");
    }
    env.addFieldRefIfAbsent(ResourceAttributes.NODE_NAME_VAR, "spec.nodeName");
    if (!spec.propagators().isEmpty()) {
      env.addIfAbsent("OTEL_PROPAGATORS", String.join(",", spec.propagators()));
    }
    if (spec.sampler() != null && spec.sampler().type() != null
        && !env.has("OTEL_TRACES_SAMPLER") && !env.has("OTEL_TRACES_SAMPLER_ARG")) {
      env.addIfAbsent("OTEL_TRACES_SAMPLER", spec.sampler().type());
      if (spec.sampler().argument() != null) {
        env.addIfAbsent("OTEL_TRACES_SAMPLER_ARG", spec.sampler().argument().trim());
      }
    }
    addResourceAttributes(env, ResourceAttributes.forContainer(pod, namespace, owners, container, spec));

    List<VolumeMount> mounts = new ArrayList<>(container.getVolumeMounts() == null ? List.of()
        : container.getVolumeMounts());
    mounts.add(new VolumeMountBuilder().withName(VOLUME).withMountPath(MOUNT_PATH).build());
    mounts.addAll(ExporterTls.of(spec).mounts());
    return new ContainerBuilder(container).withEnv(env.list()).withVolumeMounts(mounts).build();
  }

  /**
   * Appends -javaagent to the user's JAVA_TOOL_OPTIONS. When the user's value comes from valueFrom (which the
   * operator refuses), it moves to {@link #APP_JAVA_TOOL_OPTIONS} in the same place, and JAVA_TOOL_OPTIONS becomes
   * "$(TRACELIGHT_APP_JAVA_TOOL_OPTIONS) -javaagent:…", which the kubelet expands.
   */
  private static void addJavaAgent(EnvList env) {
    int index = env.indexOf(JAVA_TOOL_OPTIONS);
    if (index < 0) {
      env.addIfAbsent(JAVA_TOOL_OPTIONS, JAVAAGENT);
      return;
    }
    EnvVar options = env.list().get(index);
    if (options.getValueFrom() == null) {
      String value = options.getValue() == null ? "" : options.getValue();
      if (!value.contains(JAVAAGENT)) {
        env.set(index, new EnvVarBuilder(options).withValue(value.isBlank() ? JAVAAGENT : value + " " + JAVAAGENT)
            .build());
      }
      return;
    }
    env.set(index, new EnvVarBuilder(options).withName(APP_JAVA_TOOL_OPTIONS).build());
    env.insert(index + 1, new EnvVarBuilder().withName(JAVA_TOOL_OPTIONS)
        .withValue("$(" + APP_JAVA_TOOL_OPTIONS + ") " + JAVAAGENT).build());
  }

  private static void addResourceAttributes(EnvList env, Map<String, String> attributes) {
    Optional<EnvVar> existing = env.get(RESOURCE_ATTRIBUTES);
    if (existing.isPresent() && existing.get().getValueFrom() != null) {
      // The user's value wins; it cannot be extended without knowing it.
      return;
    }
    String value = ResourceAttributes.merge(existing.map(EnvVar::getValue).orElse(null), attributes);
    int index = env.indexOf(RESOURCE_ATTRIBUTES);
    EnvVar var = new EnvVarBuilder().withName(RESOURCE_ATTRIBUTES).withValue(value).build();
    if (index < 0) {
      env.addIfAbsent(var);
    } else {
      env.set(index, var);
    }
    env.moveLast(RESOURCE_ATTRIBUTES);
  }

  private void addVolumes(Pod pod, InstrumentationSpec spec) {
    List<Volume> volumes = new ArrayList<>(pod.getSpec().getVolumes() == null ? List.of()
        : pod.getSpec().getVolumes());
    InstrumentationSpec.Java java = spec.java();
    VolumeBuilder agentVolume = new VolumeBuilder().withName(VOLUME);
    if (java != null && java.volumeClaimTemplate() != null) {
      agentVolume.withNewEphemeral().withVolumeClaimTemplate(java.volumeClaimTemplate()).endEphemeral();
    } else {
      Quantity size = java != null && java.volumeLimitSize() != null ? java.volumeLimitSize()
          : new Quantity(DEFAULT_VOLUME_SIZE);
      agentVolume.withNewEmptyDir().withSizeLimit(size).endEmptyDir();
    }
    volumes.add(agentVolume.build());
    ExporterTls.of(spec).addVolumes(volumes);
    pod.getSpec().setVolumes(volumes);
  }

  private List<Container> withInitContainer(List<Container> initContainers, InstrumentationSpec spec,
                                            Container firstTarget) {
    InstrumentationSpec.Java java = spec.java();
    String image = java != null && java.image() != null && !java.image().isBlank() ? java.image()
        : defaultJavaImage;
    ResourceRequirements resources = java != null && java.resources() != null ? java.resources()
        : new ResourceRequirementsBuilder()
            .addToLimits("cpu", new Quantity("500m")).addToLimits("memory", new Quantity("256Mi"))
            .addToRequests("cpu", new Quantity("50m")).addToRequests("memory", new Quantity("64Mi"))
            .build();
    List<Container> result = new ArrayList<>(initContainers == null ? List.of() : initContainers);
    result.add(new ContainerBuilder()
        .withName(INIT_CONTAINER)
        .withImage(image)
        .withImagePullPolicy(spec.imagePullPolicy())
        .withCommand("cp", "/javaagent.jar", MOUNT_PATH + "/javaagent.jar")
        .withResources(resources)
        .withVolumeMounts(new VolumeMountBuilder().withName(VOLUME).withMountPath(MOUNT_PATH).build())
        // The copy runs as the app does, so that it passes the same admission policies (e.g. restricted PSS).
        .withSecurityContext(spec.initContainerSecurityContext() != null ? spec.initContainerSecurityContext()
            : firstTarget.getSecurityContext())
        .build());
    return result;
  }
}
