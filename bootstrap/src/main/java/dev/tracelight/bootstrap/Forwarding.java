package dev.tracelight.bootstrap;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * What the JDK proxies the bridge puts around a library's objects share: a library type can only be named through
 * reflection from the boot loader, so a wrapper is a proxy whose handler forwards each call to the wrapped object.
 */
public final class Forwarding {
  private Forwarding() {}

  /**
   * Answers {@code equals}, {@code hashCode} and {@code toString} on a proxy (identity, as the proxy is a new object,
   * and the wrapped object's text), or returns null when {@code method} is not one of Object's.
   */
  public static Object objectMethod(Object proxy, Object target, Method method, Object[] args) {
    if (method.getDeclaringClass() != Object.class) {
      return null;
    }
    switch (method.getName()) {
      case "equals":
        return proxy == args[0];
      case "hashCode":
        return System.identityHashCode(proxy);
      default:
        return target.toString();
    }
  }

  /** Calls {@code method} on {@code target}, throwing what it throws rather than an InvocationTargetException. */
  public static Object call(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
