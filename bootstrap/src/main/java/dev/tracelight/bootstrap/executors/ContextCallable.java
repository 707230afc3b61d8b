package dev.tracelight.bootstrap.executors;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.concurrent.Callable;

final class ContextCallable<T> implements Callable<T> {
  private final Context context;
  private final Callable<T> task;

  ContextCallable(Context context, Callable<T> task) {
    this.context = context;
    this.task = task;
  }

  @Override
  public T call() throws Exception {
    try (Scope ignored = context.makeCurrent()) {
      return task.call();
    }
  }

  @Override
  public String toString() {
    return task.toString();
  }
}
