package dev.tracelight.agent.executors;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.tracelight.agent.AdviceBinding;
import dev.tracelight.agent.TypeInstrumentation;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Every virtual thread (Thread.ofVirtual(), Thread.startVirtualThread, newVirtualThreadPerTaskExecutor) is built by
 * this constructor, on the creating thread: its task carries the creator's context. The carrier pool's own
 * continuations are never wrapped (see ContextTasks), so no context leaks between virtual threads sharing a carrier.
 */
final class VirtualThreadInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("java.lang.VirtualThread");
  }

  @Override
  public void transform(AdviceBinding advice) {
    advice.apply(isConstructor().and(takesArguments(4)).and(takesArgument(3, Runnable.class)),
        TaskAdvice.name("WrapFourthRunnable"));
  }
}
