package dev.tracelight.bootstrap.reactor;

import dev.tracelight.bootstrap.Forwarding;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.BiFunction;

/**
 * Keeps the context across Reactor operators. Reactor delivers signals on whatever thread produced them (a Netty event
 * loop, a scheduler worker, a timer), where the context of the code that subscribed is not current. The reactor module
 * registers {@link #lifter} with {@code Hooks.onEachOperator(Operators.lift(...))}: a subscriber subscribed while a
 * context is current is wrapped so its signals run with that context current, and the thread's previous context is
 * restored after each one, so nothing leaks from one request's chain into another's.
 *
 * <p>The wrapper is a JDK proxy of Reactor's {@code CoreSubscriber} (defined by the JDK in Reactor's loader, no class
 * of ours); subscribers subscribed with no context are left alone, so untraced code pays nothing per signal.
 */
public final class ContextSubscribers {
  /** The key of the {@code Hooks.onEachOperator} hook. */
  public static final String HOOK_KEY = "dev.tracelight.context";

  private ContextSubscribers() {}

  /** @param subscriberType Reactor's {@code CoreSubscriber} interface, from the advice */
  public static BiFunction<Object, Object, Object> lifter(Class<?> subscriberType) {
    ClassLoader loader = subscriberType.getClassLoader();
    Class<?>[] interfaces = {subscriberType};
    return (scannable, subscriber) -> {
      Context context = Context.current();
      if (subscriber == null || context == Context.root()) {
        return subscriber;
      }
      return Proxy.newProxyInstance(loader, interfaces, new ContextRestoring(subscriber, context));
    };
  }

  private static final class ContextRestoring implements InvocationHandler {
    private final Object subscriber;
    private final Context context;

    ContextRestoring(Object subscriber, Context context) {
      this.subscriber = subscriber;
      this.context = context;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      Object answer = Forwarding.objectMethod(proxy, subscriber, method, args);
      if (answer != null) {
        return answer;
      }
      if (!isSignal(method.getName())) {
        return Forwarding.call(subscriber, method, args);
      }
      try (Scope ignored = context.makeCurrent()) {
        return Forwarding.call(subscriber, method, args);
      }
    }

    private static boolean isSignal(String name) {
      return name.equals("onNext") || name.equals("onComplete") || name.equals("onError")
          || name.equals("onSubscribe");
    }
  }
}
