package dev.tracelight.bootstrap.apachehttpclient;

import dev.tracelight.bootstrap.Forwarding;
import dev.tracelight.bootstrap.http.HttpCall;
import dev.tracelight.bootstrap.http.HttpClientSpans;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * One Apache HttpClient 5 async exchange. The request exists only when the producer writes it, on an I/O thread, so
 * the caller's context is captured when the exchange is submitted and the span starts (with it as parent) when the
 * request is sent; the consumer sees the status, the callback ends the span. The library's interfaces are implemented
 * as JDK proxies over the application's objects and called reflectively: this class cannot link against them.
 */
public final class AsyncExchange {
  private final Context parent;
  private volatile HttpCall call;
  private volatile int status = -1;
  private volatile String protocolVersion;

  private AsyncExchange(Context parent) {
    this.parent = parent;
  }

  /** Null when this thread must not start a client span (suppressed, or a client span is already current). */
  public static AsyncExchange create() {
    Context parent = Context.current();
    return HttpClientSpans.isTraceable(parent) ? new AsyncExchange(parent) : null;
  }

  public Object producer(Object producer, Class<?> producerType, Class<?> channelType) {
    return proxy(producerType, producer, (proxy, method, args) -> {
      if (method.getName().equals("sendRequest") && args != null && args.length == 2 && args[0] != null) {
        Object channel = args[0];
        args[0] = proxy(channelType, channel, (channelProxy, channelMethod, channelArgs) -> {
          if (channelMethod.getName().equals("sendRequest") && channelArgs != null && channelArgs.length == 3) {
            start(channelArgs[0]);
          }
          return invoke(channelMethod, channel, channelArgs);
        });
      }
      return invoke(method, producer, args);
    });
  }

  public Object consumer(Object consumer, Class<?> consumerType) {
    return proxy(consumerType, consumer, (proxy, method, args) -> {
      if (method.getName().equals("consumeResponse") && args != null && args.length > 0 && args[0] != null) {
        Object code = call(args[0], "getCode");
        status = code instanceof Integer ? (Integer) code : -1;
        protocolVersion = ApacheHttpClientRequests.protocolVersion(call(args[0], "getVersion"));
      }
      return invoke(method, consumer, args);
    });
  }

  /** Wraps the caller's callback, which may be null (the caller uses the returned Future). */
  public Object callback(Object callback, Class<?> callbackType) {
    return proxy(callbackType, callback, (proxy, method, args) -> {
      switch (method.getName()) {
        case "completed":
        case "cancelled":
          end(null);
          break;
        case "failed":
          end((Throwable) args[0]);
          break;
        default:
          break;
      }
      if (callback != null) {
        return invoke(method, callback, args);
      }
      switch (method.getName()) {
        case "equals":
          return proxy == args[0];
        case "hashCode":
          return System.identityHashCode(proxy);
        case "toString":
          return "tracelight callback";
        default:
          return null;
      }
    });
  }

  /** The submission itself failed. */
  public void fail(Throwable error) {
    end(error);
  }

  private void start(Object request) {
    if (call != null) {
      return; // a retry sends the request again: still one span
    }
    try (Scope ignored = parent.makeCurrent()) {
      Object authority = call(request, "getAuthority");
      HttpCall started = HttpClientSpans.start((String) call(request, "getMethod"), ApacheHttpClientRequests.uri(null,
          (String) call(request, "getScheme"), authority, (String) call(request, "getRequestUri")));
      if (started == null) {
        return;
      }
      Method setHeader = request.getClass().getMethod("setHeader", String.class, Object.class);
      for (Map.Entry<String, String> header : HttpClientSpans.headersFor(started).entrySet()) {
        setHeader.invoke(request, header.getKey(), header.getValue());
      }
      call = started;
    } catch (ReflectiveOperationException | RuntimeException ignored) {
      // the request goes out untraced
    }
  }

  private void end(Throwable error) {
    HttpCall started = call;
    if (started != null) {
      HttpClientSpans.end(started, status, protocolVersion, error);
    }
  }

  private static Object call(Object target, String getter) {
    try {
      return target.getClass().getMethod(getter).invoke(target);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
    return target == null ? null : Forwarding.call(target, method, args);
  }

  private static Object proxy(Class<?> type, Object target, InvocationHandler handler) {
    ClassLoader loader = type.getClassLoader();
    return Proxy.newProxyInstance(loader, new Class<?>[] {type}, handler);
  }
}
