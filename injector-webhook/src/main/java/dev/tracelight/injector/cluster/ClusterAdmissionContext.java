package dev.tracelight.injector.cluster;

import dev.tracelight.injector.instrumentation.Instrumentation;
import dev.tracelight.injector.instrumentation.InstrumentationCatalog;
import dev.tracelight.injector.mutation.Owners;
import dev.tracelight.injector.webhook.AdmissionContext;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The cluster as the webhook sees it: Instrumentations and Namespaces from informers (no API call per admission),
 * a pod's second-level owner (ReplicaSet → Deployment, Job → CronJob) from one bounded GET, cached, and Events for
 * pods that were not injected.
 */
public final class ClusterAdmissionContext implements AdmissionContext, AutoCloseable {

  private static final Logger LOG = Logger.getLogger(ClusterAdmissionContext.class.getName());
  private static final int OWNER_CACHE_SIZE = 2048;
  static final int EVENT_BACKLOG = 100;
  static final String COMPONENT = "tracelight-injector";

  private final KubernetesClient client;
  private final SharedIndexInformer<Instrumentation> instrumentations;
  private final SharedIndexInformer<Namespace> namespaces;
  private final Duration lookupTimeout;
  private final ExecutorService executor;
  private final ExecutorService events;
  private final Map<String, Optional<OwnerReference>> ownerCache = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Optional<OwnerReference>> eldest) {
      return size() > OWNER_CACHE_SIZE;
    }
  };

  private ClusterAdmissionContext(KubernetesClient client, Duration lookupTimeout) {
    this.client = client;
    this.lookupTimeout = lookupTimeout;
    this.instrumentations = client.resources(Instrumentation.class).inAnyNamespace().runnableInformer(0);
    this.namespaces = client.namespaces().runnableInformer(0);
    this.executor = Executors.newFixedThreadPool(2, daemon("tracelight-cluster"));
    // Events have their own thread and a bounded backlog: while the API server is slow or failing, waiting Events
    // must neither delay owner look-ups (which would then all time out) nor pile up in memory.
    this.events = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(EVENT_BACKLOG),
        daemon("tracelight-events"), (dropped, pool) -> LOG.warning("tracelight: " + EVENT_BACKLOG
            + " Events are waiting for the API server; not recording one more"));
  }

  private static ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  /** Starts the informers; {@link #ready()} turns true once both have listed their resources. */
  public static ClusterAdmissionContext start(KubernetesClient client, Duration lookupTimeout) {
    ClusterAdmissionContext context = new ClusterAdmissionContext(client, lookupTimeout);
    context.instrumentations.start();
    context.namespaces.start();
    return context;
  }

  @Override
  public InstrumentationCatalog instrumentations() {
    return InstrumentationCatalog.of(instrumentations.getStore().list());
  }

  @Override
  public ObjectMeta namespace(String name) {
    Namespace namespace = namespaces.getStore().getByKey(name);
    return namespace == null ? null : namespace.getMetadata();
  }

  @Override
  public Owners owners(Pod pod, String namespace) {
    Owners owners = Owners.fromPod(pod);
    if (owners.replicaSet() != null) {
      Optional<OwnerReference> parent = ownerOf("ReplicaSet", namespace, owners.replicaSet());
      if (parent.isPresent()) {
        owners = owners.with(parent.get().getKind(), parent.get().getName());
      }
    }
    if (owners.job() != null && owners.cronJob() == null) {
      Optional<OwnerReference> parent = ownerOf("Job", namespace, owners.job());
      if (parent.isPresent()) {
        owners = owners.with(parent.get().getKind(), parent.get().getName());
      }
    }
    return owners;
  }

  @Override
  public void warn(Pod pod, String namespace, String message) {
    events.execute(() -> {
      try {
        recordEvent(pod, namespace, message);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "tracelight: could not record an Event for pod " + namespace + ": " + message, e);
      }
    });
  }

  @Override
  public boolean ready() {
    return instrumentations.hasSynced() && namespaces.hasSynced();
  }

  @Override
  public void close() {
    instrumentations.close();
    namespaces.close();
    executor.shutdownNow();
    events.shutdownNow();
  }

  /**
   * The controller of a ReplicaSet or Job, asked from the API within the lookup timeout. A failure or timeout gives
   * empty (the caller falls back to what the pod itself says) and is not cached, so the next pod asks again.
   */
  private Optional<OwnerReference> ownerOf(String kind, String namespace, String name) {
    String key = kind + "/" + namespace + "/" + name;
    synchronized (ownerCache) {
      Optional<OwnerReference> cached = ownerCache.get(key);
      if (cached != null) {
        return cached;
      }
    }
    CompletableFuture<HasMetadata> lookup = CompletableFuture.supplyAsync(() -> kind.equals("ReplicaSet")
        ? client.apps().replicaSets().inNamespace(namespace).withName(name).get()
        : client.batch().v1().jobs().inNamespace(namespace).withName(name).get(), executor);
    try {
      HasMetadata owner = lookup.get(lookupTimeout.toMillis(), TimeUnit.MILLISECONDS);
      Optional<OwnerReference> controller = owner == null ? Optional.empty()
          : owner.getMetadata().getOwnerReferences().stream()
              .filter(r -> Boolean.TRUE.equals(r.getController())).findFirst();
      if (owner != null) {
        synchronized (ownerCache) {
          ownerCache.put(key, controller);
        }
      }
      return controller;
    } catch (TimeoutException e) {
      lookup.cancel(true);
      LOG.warning("tracelight: no answer for " + key + " within " + lookupTimeout.toMillis() + " ms; naming the "
          + "service from the pod alone");
      return Optional.empty();
    } catch (ExecutionException e) {
      LOG.warning("tracelight: cannot read " + key + " (" + e.getCause().getMessage() + ")");
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /**
   * A Warning Event on the pod, or, for a pod that has no name yet (created by a controller), on its controller,
   * where {@code kubectl describe} shows it.
   */
  private void recordEvent(Pod pod, String namespace, String message) {
    ObjectReferenceBuilder involved = new ObjectReferenceBuilder().withNamespace(namespace);
    OwnerReference controller = pod.getMetadata().getOwnerReferences() == null ? null
        : pod.getMetadata().getOwnerReferences().stream().filter(r -> Boolean.TRUE.equals(r.getController()))
            .findFirst().orElse(null);
    if (pod.getMetadata().getName() != null || controller == null) {
      involved.withApiVersion("v1").withKind("Pod").withName(pod.getMetadata().getName() != null
          ? pod.getMetadata().getName() : pod.getMetadata().getGenerateName());
    } else {
      involved.withApiVersion(controller.getApiVersion()).withKind(controller.getKind())
          .withName(controller.getName()).withUid(controller.getUid());
    }
    String now = Instant.now().toString();
    String name = involved.getName() == null ? "pod" : involved.getName();
    client.v1().events().inNamespace(namespace).resource(new EventBuilder()
        .withNewMetadata().withGenerateName(trim(name, 200) + ".tracelight-").withNamespace(namespace).endMetadata()
        .withInvolvedObject(involved.build())
        .withType("Warning")
        .withReason("InstrumentationNotInjected")
        .withMessage(trim(message, 1024))
        .withNewSource().withComponent(COMPONENT).endSource()
        .withReportingComponent(COMPONENT)
        .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
        .build()).create();
  }

  private static String trim(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max);
  }
}
