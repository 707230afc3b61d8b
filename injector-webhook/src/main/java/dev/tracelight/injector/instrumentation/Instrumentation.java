package dev.tracelight.injector.instrumentation;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * The OpenTelemetry Operator's {@code Instrumentation} resource (opentelemetry.io/v1alpha1), typed for the Java
 * fields this injector reads. Resources written for the operator bind unchanged; fields for other languages are
 * ignored.
 */
@Group("opentelemetry.io")
@Version("v1alpha1")
@Kind("Instrumentation")
@Plural("instrumentations")
public final class Instrumentation extends CustomResource<InstrumentationSpec, Object> implements Namespaced {

  public Instrumentation() {
  }

  public static Instrumentation create(String namespace, String name, InstrumentationSpec spec) {
    Instrumentation instrumentation = new Instrumentation();
    instrumentation.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
        .withNamespace(namespace).withName(name).build());
    instrumentation.setSpec(spec);
    return instrumentation;
  }

  /** "namespace/name", as users write it in the inject-java annotation. */
  public String qualifiedName() {
    String namespace = getMetadata() == null ? null : getMetadata().getNamespace();
    String name = getMetadata() == null ? null : getMetadata().getName();
    return (namespace == null ? "" : namespace + "/") + name;
  }

  @Override
  protected InstrumentationSpec initSpec() {
    // Records have no no-arg constructor; a resource without a spec is reported by InstrumentationCheck.
    return null;
  }
}
