package dev.tracelight.agent.executors;

import dev.tracelight.agent.InstrumentationModule;
import dev.tracelight.agent.TypeInstrumentation;
import java.util.List;

/**
 * Context propagation into tasks: the context current when a task is submitted is current while it runs. Covers
 * ThreadPoolExecutor (and so Executors.new*Pool), ScheduledThreadPoolExecutor, ForkJoinPool (Runnable/Callable),
 * CompletableFuture's async stages, and virtual threads (Java 21+).
 */
public final class ExecutorsModule extends InstrumentationModule {
  public ExecutorsModule() {
    super("executors");
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return List.of(
        new ThreadPoolExecutorInstrumentation(),
        new AbstractExecutorServiceInstrumentation(),
        new ScheduledThreadPoolExecutorInstrumentation(),
        new ForkJoinPoolInstrumentation(),
        new CompletableFutureInstrumentation(),
        new VirtualThreadInstrumentation());
  }
}
