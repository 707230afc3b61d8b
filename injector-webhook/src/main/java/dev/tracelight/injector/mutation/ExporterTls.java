package dev.tracelight.injector.mutation;

import dev.tracelight.injector.instrumentation.InstrumentationSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * spec.exporter.tls as the operator applies it: the Secret and ConfigMap are mounted at
 * {@code /otel-auto-instrumentation-secret-<name>} and {@code /otel-auto-instrumentation-configmap-<name>}, and the
 * agent's OTLP certificate variables point at the files there (absolute file paths are used as they are).
 */
final class ExporterTls {

  private static final String SECRET_MOUNT_PREFIX = "/otel-auto-instrumentation-secret-";
  private static final String CONFIGMAP_MOUNT_PREFIX = "/otel-auto-instrumentation-configmap-";

  private final InstrumentationSpec.Tls tls;

  private ExporterTls(InstrumentationSpec.Tls tls) {
    this.tls = tls;
  }

  static ExporterTls of(InstrumentationSpec spec) {
    return new ExporterTls(spec.exporter() == null ? null : spec.exporter().tls());
  }

  void addEnv(EnvList env) {
    if (tls == null) {
      return;
    }
    if (tls.caFile() != null) {
      String base = tls.configMapName() != null ? CONFIGMAP_MOUNT_PREFIX + tls.configMapName()
          : tls.secretName() != null ? SECRET_MOUNT_PREFIX + tls.secretName() : null;
      env.addIfAbsent("OTEL_EXPORTER_OTLP_CERTIFICATE", path(base, tls.caFile()));
    }
    String secretBase = tls.secretName() == null ? null : SECRET_MOUNT_PREFIX + tls.secretName();
    if (tls.certFile() != null) {
      env.addIfAbsent("OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE", path(secretBase, tls.certFile()));
    }
    if (tls.keyFile() != null) {
      env.addIfAbsent("OTEL_EXPORTER_OTLP_CLIENT_KEY", path(secretBase, tls.keyFile()));
    }
  }

  List<VolumeMount> mounts() {
    List<VolumeMount> mounts = new ArrayList<>();
    if (tls != null && tls.secretName() != null) {
      mounts.add(new VolumeMountBuilder().withName(secretVolume()).withMountPath(SECRET_MOUNT_PREFIX
          + tls.secretName()).withReadOnly(true).build());
    }
    if (tls != null && tls.configMapName() != null) {
      mounts.add(new VolumeMountBuilder().withName(configMapVolume()).withMountPath(CONFIGMAP_MOUNT_PREFIX
          + tls.configMapName()).withReadOnly(true).build());
    }
    return mounts;
  }

  /** Adds the Secret and ConfigMap volumes the mounts need, unless the pod has them already. */
  void addVolumes(List<Volume> volumes) {
    if (tls != null && tls.secretName() != null && absent(volumes, secretVolume())) {
      volumes.add(new VolumeBuilder().withName(secretVolume()).withNewSecret().withSecretName(tls.secretName())
          .endSecret().build());
    }
    if (tls != null && tls.configMapName() != null && absent(volumes, configMapVolume())) {
      volumes.add(new VolumeBuilder().withName(configMapVolume()).withNewConfigMap()
          .withName(tls.configMapName()).endConfigMap().build());
    }
  }

  private String secretVolume() {
    return dnsLabel("otel-auto-secret-" + tls.secretName());
  }

  private String configMapVolume() {
    return dnsLabel("otel-auto-configmap-" + tls.configMapName());
  }

  private static boolean absent(List<Volume> volumes, String name) {
    return volumes.stream().noneMatch(v -> name.equals(v.getName()));
  }

  private static String path(String base, String file) {
    return base == null || file.startsWith("/") ? file : base + "/" + file;
  }

  /** Volume names are DNS labels: at most 63 characters. */
  private static String dnsLabel(String name) {
    return name.length() <= 63 ? name : name.substring(0, 63);
  }
}
