package dev.tracelight.bootstrap.executors;

import io.opentelemetry.context.Context;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;

/**
 * Carries the submitting thread's context into a task: wraps it so that {@code run}/{@code call} restore the context
 * that was current at submission. Nothing is wrapped when there is no context to carry.
 */
public final class ContextTasks {
  private ContextTasks() {}

  public static Runnable wrap(Runnable task) {
    if (task == null || task instanceof ContextRunnable) {
      return task;
    }
    Context context = Context.current();
    if (context == Context.root()) {
      return task;
    }
    // A virtual thread's continuation is scheduled on a carrier pool; its context lives in the virtual thread.
    if (task.getClass().getName().startsWith("java.lang.VirtualThread")) {
      return task;
    }
    return new ContextRunnable(context, task);
  }

  /**
   * For {@code ThreadPoolExecutor.execute}: a {@link Future} there was already wrapped when it was submitted, and
   * subclasses may cast it back in {@code afterExecute}; CompletableFuture's own tasks are the exception.
   */
  public static Runnable wrapExecuted(Runnable task) {
    if (task instanceof Future && !task.getClass().getName().startsWith("java.util.concurrent.CompletableFuture$")) {
      return task;
    }
    return wrap(task);
  }

  public static <T> Callable<T> wrap(Callable<T> task) {
    if (task == null || task instanceof ContextCallable) {
      return task;
    }
    Context context = Context.current();
    return context == Context.root() ? task : new ContextCallable<>(context, task);
  }
}
