package dev.tracelight.bootstrap.executors;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

final class ContextRunnable implements Runnable {
  private final Context context;
  private final Runnable task;

  ContextRunnable(Context context, Runnable task) {
    this.context = context;
    this.task = task;
  }

  @Override
  public void run() {
    try (Scope ignored = context.makeCurrent()) {
      task.run();
    }
  }

  @Override
  public String toString() {
    return task.toString();
  }
}
