package dev.tracelight.injector.webhook;

import dev.tracelight.injector.instrumentation.InstrumentationCatalog;
import dev.tracelight.injector.mutation.Owners;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.logging.Logger;

/**
 * {@code serve --instrumentation FILE}: the Instrumentations come from the file, namespaces are not known (only pod
 * annotations count), owners are what the pod names itself, and warnings go to the log only.
 */
public final class StaticAdmissionContext implements AdmissionContext {

  private static final Logger LOG = Logger.getLogger(StaticAdmissionContext.class.getName());

  private final InstrumentationCatalog catalog;

  private StaticAdmissionContext(InstrumentationCatalog catalog) {
    this.catalog = catalog;
  }

  public static StaticAdmissionContext of(InstrumentationCatalog catalog) {
    return new StaticAdmissionContext(catalog);
  }

  @Override
  public InstrumentationCatalog instrumentations() {
    return catalog;
  }

  @Override
  public ObjectMeta namespace(String name) {
    return null;
  }

  @Override
  public Owners owners(Pod pod, String namespace) {
    return Owners.fromPod(pod);
  }

  @Override
  public void warn(Pod pod, String namespace, String message) {
    LOG.warning(message + " (pod " + namespace + "/" + PodAdmission.podName(pod) + ")");
  }

  @Override
  public boolean ready() {
    return true;
  }
}
