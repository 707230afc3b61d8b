package dev.tracelight.bootstrap.reactornetty;

import dev.tracelight.bootstrap.Forwarding;
import dev.tracelight.bootstrap.http.HttpCall;
import dev.tracelight.bootstrap.http.HttpClientSpans;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * CLIENT spans for Reactor Netty's {@code HttpClient}, and so for Spring's {@code WebClient} on it: one span per
 * subscription (Reactor Netty makes one request handler per subscription, on the subscribing thread, whose context is
 * the parent), covering redirects and the connection-reset retry; every request it sends carries the span's headers.
 * The span ends when the final response arrives, when the handler gives up with an error, or when the subscriber
 * cancels before either (a {@code timeout()}, say: no status then).
 */
public final class ReactorNettyClientSpans {
  private static final Map<Object, HttpCall> OPEN = Collections.synchronizedMap(new WeakHashMap<>());
  // hands the subscription over to the handler Reactor Netty creates next on this thread, within subscribe()
  private static final ThreadLocal<Subscribing> SUBSCRIBING = new ThreadLocal<>();

  private ReactorNettyClientSpans() {}

  /**
   * A subscriber subscribes to a request: returns the subscriber to use in its place, which ends the span when the
   * subscription is cancelled. A JDK proxy of Reactor's {@code CoreSubscriber} (and of the {@code Subscription} it
   * is given), so no class of ours is defined in the application's loader. Call {@link #subscribed} after.
   */
  public static Object subscribing(Object subscriber, Class<?> subscriberType, Class<?> subscriptionType) {
    Subscribing subscribing = new Subscribing(subscriptionType);
    SUBSCRIBING.set(subscribing);
    return Proxy.newProxyInstance(subscriberType.getClassLoader(), new Class<?>[] {subscriberType},
        new CancelWatching(subscriber, subscribing));
  }

  public static void subscribed() {
    SUBSCRIBING.remove();
  }

  /** @param handler Reactor Netty's per-subscription request handler, the key for the calls below */
  public static void start(Object handler, String method, String url) {
    Subscribing subscribing = SUBSCRIBING.get();
    if (subscribing != null) {
      subscribing.handler = handler;
      SUBSCRIBING.remove();
    }
    HttpCall call = HttpClientSpans.start(method, uri(url));
    if (call != null) {
      OPEN.put(handler, call);
    }
  }

  /** The headers to set on a request {@code handler} is about to send; empty when it is not traced. */
  public static Map<String, String> headers(Object handler) {
    HttpCall call = OPEN.get(handler);
    return call == null ? Map.of() : HttpClientSpans.headersFor(call);
  }

  /**
   * Ends the span of {@code handler}, once.
   *
   * @param status the final response's status, -1 without one
   * @param majorVersion the response's HTTP version, -1 without one
   */
  public static void end(Object handler, int status, int majorVersion, int minorVersion, Throwable error) {
    HttpCall call = OPEN.remove(handler);
    if (call != null) {
      HttpClientSpans.end(call, status, protocolVersion(majorVersion, minorVersion), error);
    }
  }

  /** {@code 1.1}, {@code 2} (HTTP/2 has no minor version in the conventions). */
  static String protocolVersion(int major, int minor) {
    if (major < 0) {
      return null;
    }
    return major >= 2 && minor == 0 ? Integer.toString(major) : major + "." + minor;
  }

  private static URI uri(String url) {
    try {
      return url == null ? null : URI.create(url);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static final class Subscribing {
    final Class<?> subscriptionType;
    volatile Object handler;

    Subscribing(Class<?> subscriptionType) {
      this.subscriptionType = subscriptionType;
    }
  }

  /** Forwards every call; wraps the subscription given to {@code onSubscribe} and ends the span on its cancel. */
  private static final class CancelWatching implements InvocationHandler {
    private final Object target;
    private final Subscribing subscribing;

    CancelWatching(Object target, Subscribing subscribing) {
      this.target = target;
      this.subscribing = subscribing;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      Object answer = Forwarding.objectMethod(proxy, target, method, args);
      if (answer != null) {
        return answer;
      }
      String name = method.getName();
      if (name.equals("onSubscribe") && args.length == 1 && args[0] != null) {
        Class<?> type = subscribing.subscriptionType;
        args[0] = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
            new CancelWatching(args[0], subscribing));
      } else if (name.equals("cancel") && (args == null || args.length == 0)) {
        Object handler = subscribing.handler;
        if (handler != null) {
          end(handler, -1, -1, -1, null);
        }
      }
      return Forwarding.call(target, method, args);
    }
  }
}
