package dev.tracelight.agent.executors;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;

import dev.tracelight.agent.AdviceBinding;
import dev.tracelight.agent.TypeInstrumentation;
import java.util.concurrent.Callable;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** submit() wraps the task before it becomes a FutureTask, so execute() can leave Futures alone. */
final class AbstractExecutorServiceInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("java.util.concurrent.AbstractExecutorService");
  }

  @Override
  public void transform(AdviceBinding advice) {
    advice.apply(named("submit").and(takesArgument(0, Runnable.class)), TaskAdvice.name("WrapRunnable"))
        .apply(named("submit").and(takesArgument(0, Callable.class)), TaskAdvice.name("WrapCallable"));
  }
}
