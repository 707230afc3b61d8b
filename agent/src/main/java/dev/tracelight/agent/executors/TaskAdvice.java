package dev.tracelight.agent.executors;

import dev.tracelight.bootstrap.executors.ContextTasks;
import java.util.concurrent.Callable;
import net.bytebuddy.asm.Advice;

/** The advice every executor entry point shares: wrap the task argument in one that carries the context. */
final class TaskAdvice {
  private TaskAdvice() {}

  @SuppressWarnings("unused")
  public static final class WrapRunnable {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(value = 0, readOnly = false) Runnable task) {
      task = ContextTasks.wrap(task);
    }
  }

  @SuppressWarnings("unused")
  public static final class WrapCallable {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(value = 0, readOnly = false) Callable<?> task) {
      task = ContextTasks.wrap(task);
    }
  }

  /** For ThreadPoolExecutor.execute, which also receives the Futures made by submit(): see ContextTasks. */
  @SuppressWarnings("unused")
  public static final class WrapExecuted {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(value = 0, readOnly = false) Runnable task) {
      task = ContextTasks.wrapExecuted(task);
    }
  }

  /** VirtualThread(Executor scheduler, String name, int characteristics, Runnable task). */
  @SuppressWarnings("unused")
  public static final class WrapFourthRunnable {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(value = 3, readOnly = false) Runnable task) {
      task = ContextTasks.wrap(task);
    }
  }

  static String name(String nested) {
    return TaskAdvice.class.getName() + "$" + nested;
  }
}
