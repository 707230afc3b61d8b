package dev.tracelight.bootstrap.otelapi;

import dev.tracelight.bootstrap.Tracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The application's API interfaces (one class loader) implemented as JDK proxies over the agent's objects. Each
 * handler maps the calls applications make (tracer, span builder, span, scope); anything else returns a neutral value
 * of the declared type (the proxy itself for fluent methods), so an API method we do not know never throws.
 */
final class ApiProxies {
  private final ClassLoader loader;
  private final Class<?> openTelemetryType;
  private final Class<?> tracerProviderType;
  private final Class<?> tracerBuilderType;
  private final Class<?> tracerType;
  private final Class<?> spanBuilderType;
  private final Class<?> spanType;
  private final Class<?> scopeType;
  private final Method createSpanContext;
  private final Method traceFlagsFromByte;
  private final Object defaultTraceState;

  private ApiProxies(ClassLoader loader) throws ReflectiveOperationException {
    this.loader = loader;
    openTelemetryType = load(ApiBridge.API + ".OpenTelemetry");
    tracerProviderType = load(ApiBridge.API + ".trace.TracerProvider");
    tracerBuilderType = load(ApiBridge.API + ".trace.TracerBuilder");
    tracerType = load(ApiBridge.API + ".trace.Tracer");
    spanBuilderType = load(ApiBridge.API + ".trace.SpanBuilder");
    spanType = load(ApiBridge.SPAN);
    scopeType = load(String.join(".", "io", "opentelemetry", "context", "Scope"));
    Class<?> traceFlags = load(ApiBridge.API + ".trace.TraceFlags");
    Class<?> traceState = load(ApiBridge.API + ".trace.TraceState");
    createSpanContext = load(ApiBridge.API + ".trace.SpanContext")
        .getMethod("create", String.class, String.class, traceFlags, traceState);
    traceFlagsFromByte = traceFlags.getMethod("fromByte", byte.class);
    defaultTraceState = traceState.getMethod("getDefault").invoke(null);
  }

  static ApiProxies create(ClassLoader loader) {
    try {
      return new ApiProxies(loader);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("OpenTelemetry API 1.x types not found", e);
    }
  }

  boolean isOurs(Object object) {
    return Proxy.isProxyClass(object.getClass()) && Proxy.getInvocationHandler(object) instanceof Handler;
  }

  Object openTelemetry(Object applicationDefault) {
    return proxy(openTelemetryType, (proxy, method, args) -> {
      switch (method.getName()) {
        case "getTracerProvider":
          return tracerProvider();
        case "getTracer":
          return tracer((String) args[0], args.length > 1 ? (String) args[1] : null);
        case "tracerBuilder":
          return tracerBuilder((String) args[0]);
        default:
          return invoke(method, applicationDefault, args);
      }
    });
  }

  Object span(Span span) {
    return proxy(spanType, (proxy, method, args) -> {
      switch (method.getName()) {
        case "setAttribute":
          setAttribute(span, args[0], args[1]);
          return proxy;
        case "addEvent":
          span.addEvent((String) args[0]);
          return proxy;
        case "setStatus":
          span.setStatus(StatusCode.valueOf(((Enum<?>) args[0]).name()),
              args.length > 1 && args[1] instanceof String ? (String) args[1] : "");
          return proxy;
        case "recordException":
          span.recordException((Throwable) args[0]);
          return proxy;
        case "updateName":
          span.updateName((String) args[0]);
          return proxy;
        case "end":
          end(span, args);
          return null;
        case "isRecording":
          return span.isRecording();
        case "getSpanContext":
          return spanContext(span.getSpanContext());
        case "makeCurrent":
          return scope(span.makeCurrent());
        case "storeInContext":
          return args[0];
        default:
          return neutral(proxy, method, args);
      }
    });
  }

  private Object tracerProvider() {
    return proxy(tracerProviderType, (proxy, method, args) -> {
      switch (method.getName()) {
        case "get":
          return tracer((String) args[0], args.length > 1 ? (String) args[1] : null);
        case "tracerBuilder":
          return tracerBuilder((String) args[0]);
        default:
          return neutral(proxy, method, args);
      }
    });
  }

  private Object tracerBuilder(String scope) {
    String[] version = new String[1];
    return proxy(tracerBuilderType, (proxy, method, args) -> {
      switch (method.getName()) {
        case "setInstrumentationVersion":
          version[0] = (String) args[0];
          return proxy;
        case "build":
          return tracer(scope, version[0]);
        default:
          return neutral(proxy, method, args);
      }
    });
  }

  private Object tracer(String scope, String version) {
    Tracer tracer = version == null ? Tracing.openTelemetry().getTracer(scope)
        : Tracing.openTelemetry().getTracer(scope, version);
    return proxy(tracerType, (proxy, method, args) -> method.getName().equals("spanBuilder")
        ? spanBuilder(tracer.spanBuilder((String) args[0])) : neutral(proxy, method, args));
  }

  /** The parent is always the agent's current context: the application's own Context knows nothing of it. */
  private Object spanBuilder(SpanBuilder builder) {
    return proxy(spanBuilderType, (proxy, method, args) -> {
      switch (method.getName()) {
        case "setNoParent":
          builder.setNoParent();
          return proxy;
        case "setSpanKind":
          builder.setSpanKind(SpanKind.valueOf(((Enum<?>) args[0]).name()));
          return proxy;
        case "setAttribute":
          setAttribute(builder, args[0], args[1]);
          return proxy;
        case "setStartTimestamp":
          if (args.length == 2) {
            builder.setStartTimestamp((Long) args[0], (TimeUnit) args[1]);
          } else {
            builder.setStartTimestamp((Instant) args[0]);
          }
          return proxy;
        case "startSpan":
          return span(builder.startSpan());
        default:
          return neutral(proxy, method, args);
      }
    });
  }

  private Object scope(Scope scope) {
    return proxy(scopeType, (proxy, method, args) -> {
      if (method.getName().equals("close")) {
        scope.close();
        return null;
      }
      return neutral(proxy, method, args);
    });
  }

  private Object spanContext(SpanContext context) throws ReflectiveOperationException {
    return createSpanContext.invoke(null, context.getTraceId(), context.getSpanId(),
        traceFlagsFromByte.invoke(null, context.getTraceFlags().asByte()), defaultTraceState);
  }

  private static void end(Span span, Object[] args) {
    if (args == null || args.length == 0) {
      span.end();
    } else if (args.length == 2) {
      span.end((Long) args[0], (TimeUnit) args[1]);
    } else {
      span.end((Instant) args[0]);
    }
  }

  /** {@code (String, value)} or {@code (AttributeKey, value)}; the value's Java type picks the attribute type. */
  private static void setAttribute(Object target, Object key, Object value) throws ReflectiveOperationException {
    String name = key instanceof String ? (String) key : (String) key.getClass().getMethod("getKey").invoke(key);
    if (name == null || value == null) {
      return;
    }
    AttributeKey<?> typed;
    Object converted;
    if (value instanceof Long || value instanceof Integer) {
      typed = AttributeKey.longKey(name);
      converted = ((Number) value).longValue();
    } else if (value instanceof Double || value instanceof Float) {
      typed = AttributeKey.doubleKey(name);
      converted = ((Number) value).doubleValue();
    } else if (value instanceof Boolean) {
      typed = AttributeKey.booleanKey(name);
      converted = value;
    } else {
      typed = AttributeKey.stringKey(name);
      converted = value.toString();
    }
    @SuppressWarnings("unchecked")
    AttributeKey<Object> objectKey = (AttributeKey<Object>) typed;
    if (target instanceof Span) {
      ((Span) target).setAttribute(objectKey, converted);
    } else {
      ((SpanBuilder) target).setAttribute(objectKey, converted);
    }
  }

  private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /** Object's methods, fluent methods (the proxy), else the zero value of the return type. */
  private static Object neutral(Object proxy, Method method, Object[] args) {
    switch (method.getName()) {
      case "equals":
        return proxy == args[0];
      case "hashCode":
        return System.identityHashCode(proxy);
      case "toString":
        return "tracelight bridge " + method.getDeclaringClass().getSimpleName();
      default:
        break;
    }
    Class<?> type = method.getReturnType();
    if (type.isInstance(proxy)) {
      return proxy;
    }
    if (type == boolean.class) {
      return false;
    }
    if (type == long.class || type == int.class) {
      return type == long.class ? (Object) 0L : (Object) 0;
    }
    return null;
  }

  private Class<?> load(String name) throws ClassNotFoundException {
    return Class.forName(name, false, loader);
  }

  private Object proxy(Class<?> type, Handler handler) {
    return Proxy.newProxyInstance(loader, new Class<?>[] {type}, handler);
  }

  /** Marks our handlers, so a bridged object is never bridged again. */
  private interface Handler extends InvocationHandler {}
}
