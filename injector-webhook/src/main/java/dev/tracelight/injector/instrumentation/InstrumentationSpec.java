package dev.tracelight.injector.instrumentation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimTemplate;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SecurityContext;
import java.util.List;
import java.util.Map;

/**
 * The spec of the operator's Instrumentation CRD, limited to what Java injection uses. Field names are the CRD's,
 * so YAML written for the operator binds as is. Fields of other languages (nodejs, python, …) are ignored.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InstrumentationSpec(
    Exporter exporter,
    List<String> propagators,
    Sampler sampler,
    List<EnvVar> env,
    Resource resource,
    Defaults defaults,
    String imagePullPolicy,
    SecurityContext initContainerSecurityContext,
    Java java) {

  public InstrumentationSpec {
    propagators = propagators == null ? List.of() : List.copyOf(propagators);
    env = env == null ? List.of() : List.copyOf(env);
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Exporter(String endpoint, Tls tls) {
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Tls(
      String secretName,
      String configMapName,
      @JsonProperty("ca_file") String caFile,
      @JsonProperty("cert_file") String certFile,
      @JsonProperty("key_file") String keyFile) {
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Sampler(String type, String argument) {
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Resource(Map<String, String> resourceAttributes, Boolean addK8sUIDAttributes) {

    public Resource {
      resourceAttributes = resourceAttributes == null ? Map.of() : Map.copyOf(resourceAttributes);
    }

    public boolean addsUids() {
      return Boolean.TRUE.equals(addK8sUIDAttributes);
    }
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Defaults(Boolean useLabelsForResourceAttributes) {

    public boolean usesLabels() {
      return Boolean.TRUE.equals(useLabelsForResourceAttributes);
    }
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Java(
      String image,
      List<EnvVar> env,
      ResourceRequirements resources,
      Quantity volumeLimitSize,
      PersistentVolumeClaimTemplate volumeClaimTemplate,
      List<Extension> extensions) {

    public Java {
      env = env == null ? List.of() : List.copyOf(env);
      extensions = extensions == null ? List.of() : List.copyOf(extensions);
    }
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Extension(String image, String dir) {
  }
}
