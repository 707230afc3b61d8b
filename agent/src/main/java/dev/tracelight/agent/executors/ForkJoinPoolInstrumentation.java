package dev.tracelight.agent.executors;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;

import dev.tracelight.agent.AdviceBinding;
import dev.tracelight.agent.TypeInstrumentation;
import java.util.concurrent.Callable;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Runnables and Callables handed to a ForkJoinPool, which is also where CompletableFuture's async stages go (the
 * common pool). ForkJoinTasks forked inside the pool are not covered.
 */
final class ForkJoinPoolInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("java.util.concurrent.ForkJoinPool");
  }

  @Override
  public void transform(AdviceBinding advice) {
    advice.apply(namedOneOf("execute", "submit").and(isPublic()).and(takesArgument(0, Runnable.class)),
            TaskAdvice.name("WrapRunnable"))
        .apply(named("submit").and(isPublic()).and(takesArgument(0, Callable.class)),
            TaskAdvice.name("WrapCallable"));
  }
}
