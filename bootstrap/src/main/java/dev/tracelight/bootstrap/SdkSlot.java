package dev.tracelight.bootstrap;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Where the agent's SDK goes ({@link Tracing} holds the one the agent uses). Empty, it reads as a no-op SDK.
 *
 * <p>The agent builds its SDK on a thread of its own while premain weaves (issue 9), so the application can start
 * before the SDK is ready. Between {@link #expect} and {@link #settle}, the first telemetry an application thread makes
 * waits for the SDK instead of being lost. The wait is bounded, so that an unforeseen lock between the application and
 * the builder can delay the application but never hang it; the builder's own calls (its logging, say) never wait.
 */
final class SdkSlot {
  private static final OpenTelemetry NOOP = OpenTelemetry.noop();
  private static final Tracer NOOP_TRACER = NOOP.getTracer(Tracing.INSTRUMENTATION_SCOPE);

  private final long maxWaitMillis;
  private final CountDownLatch settled = new CountDownLatch(1);
  private final List<Runnable> whenInstalled = new ArrayList<>();
  // null while the SDK is being built: readers then wait. One volatile read on the hot path.
  private volatile OpenTelemetry openTelemetry = NOOP;
  private volatile Tracer tracer = NOOP_TRACER;
  private volatile String version = "unknown";
  private volatile Thread builder;
  private volatile boolean gaveUp;

  SdkSlot(long maxWaitMillis) {
    this.maxWaitMillis = maxWaitMillis;
  }

  synchronized void expect(Thread sdkBuilder) {
    if (settled.getCount() == 0) {
      return;
    }
    builder = sdkBuilder;
    openTelemetry = null;
    tracer = null;
  }

  void install(OpenTelemetry sdk, String agentVersion) {
    version = agentVersion;
    tracer = sdk.getTracerProvider().tracerBuilder(Tracing.INSTRUMENTATION_SCOPE)
        .setInstrumentationVersion(agentVersion).build();
    openTelemetry = sdk;
    settle();
  }

  void settle() {
    List<Runnable> tasks;
    synchronized (this) {
      if (openTelemetry == null) { // the SDK could not be built: everything stays a no-op
        tracer = NOOP_TRACER;
        openTelemetry = NOOP;
      }
      settled.countDown();
      tasks = installed() ? new ArrayList<>(whenInstalled) : List.of();
      whenInstalled.clear();
    }
    for (Runnable task : tasks) {
      runLogged(task);
    }
  }

  void whenInstalled(Runnable task) {
    synchronized (this) {
      if (settled.getCount() > 0) {
        whenInstalled.add(task);
        return;
      }
      if (!installed()) {
        return;
      }
    }
    runLogged(task);
  }

  /** Settled with an SDK: what {@link #settle} leaves when none came is the no-op. Called under this. */
  private boolean installed() {
    return openTelemetry != NOOP;
  }

  Tracer tracer() {
    Tracer current = tracer;
    if (current == null) {
      awaitSettled();
      current = tracer;
    }
    return current != null ? current : NOOP_TRACER;
  }

  OpenTelemetry openTelemetry() {
    OpenTelemetry current = openTelemetry;
    if (current == null) {
      awaitSettled();
      current = openTelemetry;
    }
    return current != null ? current : NOOP;
  }

  String version() {
    return version;
  }

  private void awaitSettled() {
    if (gaveUp || Thread.currentThread() == builder) {
      return;
    }
    if (AgentLog.isDebug()) {
      AgentLog.debug("waiting for the SDK on thread " + Thread.currentThread().getName());
    }
    try {
      if (!settled.await(maxWaitMillis, TimeUnit.MILLISECONDS)) {
        gaveUp = true;
        AgentLog.warnOnce("sdk-wait", "the OpenTelemetry SDK was not ready after " + maxWaitMillis
            + " ms; telemetry made before it is ready is dropped");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void runLogged(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException | LinkageError e) {
      AgentLog.errorOnce("sdk-task:" + task.getClass().getName(), "set-up after the SDK was built failed", e);
    }
  }
}
