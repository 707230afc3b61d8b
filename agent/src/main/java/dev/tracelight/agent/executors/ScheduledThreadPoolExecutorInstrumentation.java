package dev.tracelight.agent.executors;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;

import dev.tracelight.agent.AdviceBinding;
import dev.tracelight.agent.TypeInstrumentation;
import java.util.concurrent.Callable;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** Its execute() and submit() go through schedule(), which never reaches ThreadPoolExecutor.execute(). */
final class ScheduledThreadPoolExecutorInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("java.util.concurrent.ScheduledThreadPoolExecutor");
  }

  @Override
  public void transform(AdviceBinding advice) {
    advice.apply(namedOneOf("schedule", "scheduleAtFixedRate", "scheduleWithFixedDelay")
            .and(takesArgument(0, Runnable.class)), TaskAdvice.name("WrapRunnable"))
        .apply(named("schedule").and(takesArgument(0, Callable.class)), TaskAdvice.name("WrapCallable"));
  }
}
