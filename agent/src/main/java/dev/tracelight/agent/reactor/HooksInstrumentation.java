package dev.tracelight.agent.reactor;

import static net.bytebuddy.matcher.ElementMatchers.isTypeInitializer;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.tracelight.agent.AdviceBinding;
import dev.tracelight.agent.TypeInstrumentation;
import dev.tracelight.bootstrap.reactor.ContextSubscribers;
import java.util.function.BiFunction;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Operators;

/**
 * {@code reactor.core.publisher.Hooks}: our operator hook is registered when the class initializes (before any
 * operator is assembled), and again after an application's {@code resetOnEachOperator()} removed every hook.
 */
final class HooksInstrumentation implements TypeInstrumentation {
  static final String HOOKS = "reactor.core.publisher.Hooks";

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named(HOOKS);
  }

  @Override
  public void transform(AdviceBinding advice) {
    advice.apply(isTypeInitializer().or(named("resetOnEachOperator").and(takesArguments(0))),
        getClass().getName() + "$RegisterAdvice");
  }

  @SuppressWarnings({"unused", "unchecked", "rawtypes"})
  public static final class RegisterAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit() {
      Hooks.onEachOperator(ContextSubscribers.HOOK_KEY,
          Operators.lift((BiFunction) ContextSubscribers.lifter(CoreSubscriber.class)));
    }
  }
}
