package dev.tracelight.bootstrap.servlet;

import dev.tracelight.bootstrap.AgentLog;
import dev.tracelight.bootstrap.http.HttpCall;
import dev.tracelight.bootstrap.http.HttpServerSpans;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;

/**
 * Behind the async listener proxy: {@code onError} remembers the exception, {@code onComplete} ends
 * the span with the response's status, {@code onStartAsync} (a second {@code startAsync} drops listeners) registers
 * the listener again. Library methods are called through the public Servlet interfaces, reflectively, because this
 * class cannot link against javax or jakarta types.
 */
final class AsyncCompletion implements InvocationHandler {
  private final HttpCall call;
  private final Object response;
  private final Method getStatus;
  private final Method getThrowable;
  private final Method getAsyncContext;
  private final Method addListener;
  private volatile Throwable error;

  private AsyncCompletion(HttpCall call, Object response, Method getStatus, Method getThrowable,
      Method getAsyncContext, Method addListener) {
    this.call = call;
    this.response = response;
    this.getStatus = getStatus;
    this.getThrowable = getThrowable;
    this.getAsyncContext = getAsyncContext;
    this.addListener = addListener;
  }

  static AsyncCompletion create(Class<?> listenerType, Class<?> responseType, HttpCall call, Object response) {
    try {
      String servletPackage = listenerType.getPackageName();
      ClassLoader loader = listenerType.getClassLoader();
      Class<?> event = Class.forName(servletPackage + ".AsyncEvent", false, loader);
      Class<?> context = Class.forName(servletPackage + ".AsyncContext", false, loader);
      return new AsyncCompletion(call, response, responseType.getMethod("getStatus"), event.getMethod("getThrowable"),
          event.getMethod("getAsyncContext"), context.getMethod("addListener", listenerType));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("servlet API without the async types of Servlet 3.0", e);
    }
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) {
    switch (method.getName()) {
      case "onComplete":
        complete();
        return null;
      case "onError":
        error = read(getThrowable, args[0]);
        return null;
      case "onStartAsync":
        reRegister(proxy, args[0]);
        return null;
      case "equals":
        return proxy == args[0];
      case "hashCode":
        return System.identityHashCode(proxy);
      case "toString":
        return "tracelight async listener";
      default: // onTimeout: the container answers 500 unless the application does; onComplete reads the status
        return null;
    }
  }

  private void complete() {
    Object status = read(getStatus, response);
    int code = status instanceof Integer ? (Integer) status : -1;
    Throwable failure = error;
    HttpServerSpans.end(call, ServletSpans.status(code, failure), failure);
  }

  private void reRegister(Object proxy, Object event) {
    Object context = read(getAsyncContext, event);
    if (context != null) {
      try {
        addListener.invoke(context, proxy);
      } catch (ReflectiveOperationException | RuntimeException e) {
        AgentLog.warnOnce("servlet-async-listener", "cannot follow a restarted async servlet request", e);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> T read(Method getter, Object target) {
    try {
      return (T) getter.invoke(target);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
