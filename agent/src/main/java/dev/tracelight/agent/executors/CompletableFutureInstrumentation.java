package dev.tracelight.agent.executors;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;

import dev.tracelight.agent.AdviceBinding;
import dev.tracelight.agent.TypeInstrumentation;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * When the common pool has a parallelism of 1 (machines with one or two cores), CompletableFuture runs async stages
 * on a thread per task instead (Java 11-17); newer JDKs always use the pool, and this type does not exist there.
 */
final class CompletableFutureInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("java.util.concurrent.CompletableFuture$ThreadPerTaskExecutor");
  }

  @Override
  public void transform(AdviceBinding advice) {
    advice.apply(named("execute").and(takesArgument(0, Runnable.class)), TaskAdvice.name("WrapRunnable"));
  }
}
