package dev.tracelight.injector.webhook;

import dev.tracelight.injector.instrumentation.InstrumentationCatalog;
import dev.tracelight.injector.mutation.Owners;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;

/** What an admission needs to know beyond the pod: from a file, or from the cluster through informers. */
public interface AdmissionContext {

  InstrumentationCatalog instrumentations();

  /** The metadata of a Namespace (its annotations may ask for injection), or null when unknown. */
  ObjectMeta namespace(String name);

  /** The pod's owners; may ask the API, but only within a bounded time. */
  Owners owners(Pod pod, String namespace);

  /** Tells the user, where {@code kubectl describe} / {@code get events} shows it, that a pod was not injected. */
  void warn(Pod pod, String namespace, String message);

  /** True once everything needed to answer correctly is loaded (e.g. informers synced). */
  boolean ready();
}
