package dev.tracelight.agent.export;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Where a sender's exports run: the exporter's own {@link ExecutorService} when it gives one, else one daemon thread
 * of ours, started at the first export and ended after a minute without one. Calls run one at a time on it, and the
 * SDK hears of each through its callbacks, never through a thrown exception.
 */
public final class ExportWorker {
  private final ExecutorService executor;
  private final boolean ownExecutor;

  private ExportWorker(ExecutorService executor, boolean ownExecutor) {
    this.executor = executor;
    this.ownExecutor = ownExecutor;
  }

  /** The exporter's {@code given} executor, or (when null) our own thread named {@code threadName}. */
  public static ExportWorker create(ExecutorService given, String threadName) {
    if (given != null) {
      return new ExportWorker(given, false);
    }
    ThreadPoolExecutor worker = new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        task -> {
          Thread thread = new Thread(task, threadName);
          thread.setDaemon(true);
          return thread;
        });
    worker.allowCoreThreadTimeOut(true);
    return new ExportWorker(worker, true);
  }

  /** Runs {@code call} on the worker; its result goes to {@code onResponse}, any failure to {@code onError}. */
  public <R> void submit(Call<R> call, Consumer<R> onResponse, Consumer<Throwable> onError) {
    try {
      executor.execute(() -> {
        R response;
        try {
          response = call.run();
        } catch (Throwable e) {
          onError.accept(e);
          return;
        }
        onResponse.accept(response);
      });
    } catch (RejectedExecutionException e) {
      onError.accept(e);
    }
  }

  /** Stops our own thread once its queued calls are done; an executor the exporter gave us is the exporter's. */
  public void shutdown() {
    if (ownExecutor) {
      executor.shutdown();
    }
  }

  /** One export call. */
  @FunctionalInterface
  public interface Call<R> {
    R run() throws IOException;
  }
}
