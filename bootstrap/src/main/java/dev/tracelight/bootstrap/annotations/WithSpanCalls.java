package dev.tracelight.bootstrap.annotations;

import dev.tracelight.bootstrap.AgentLog;
import dev.tracelight.bootstrap.Tracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import java.lang.annotation.Annotation;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Spans for methods annotated with {@code @WithSpan} (opentelemetry-instrumentation-annotations), matched by name: the
 * agent does not carry the annotation classes, the application does. What each method's annotations say (name, kind,
 * {@code @SpanAttribute} parameters) is read reflectively once and cached.
 */
public final class WithSpanCalls {
  // Built at run time: the jar build relocates every "io.opentelemetry…" constant to our shaded package, and these
  // must stay the application's own names.
  private static final String ANNOTATIONS_PACKAGE = String.join(".", "io", "opentelemetry", "instrumentation",
      "annotations");
  public static final String WITH_SPAN = ANNOTATIONS_PACKAGE + ".WithSpan";
  static final String SPAN_ATTRIBUTE = ANNOTATIONS_PACKAGE + ".SpanAttribute";

  private static final ClassValue<Map<String, SpanSpec>> SPECS = new ClassValue<>() {
    @Override
    protected Map<String, SpanSpec> computeValue(Class<?> type) {
      return new ConcurrentHashMap<>();
    }
  };

  private WithSpanCalls() {}

  /** Starts the span and makes it current; null if the method cannot be read (then it runs untraced). */
  public static WithSpanCall start(Class<?> type, String method, String descriptor, Object[] args) {
    SpanSpec spec =
        SPECS.get(type).computeIfAbsent(method + descriptor, key -> SpanSpec.read(type, method, descriptor));
    if (spec == SpanSpec.UNREADABLE) {
      return null;
    }
    SpanBuilder builder = Tracing.tracer().spanBuilder(spec.name).setSpanKind(spec.kind).setParent(Context.current());
    for (int i = 0; i < spec.attributes.length && args != null && i < args.length; i++) {
      if (spec.attributes[i] != null && args[i] != null) {
        setAttribute(builder, spec.attributes[i], args[i]);
      }
    }
    Span span = builder.startSpan();
    return new WithSpanCall(span, Context.current().with(span).makeCurrent());
  }

  /** Closes the scope; the span ends now, or when a returned CompletionStage completes. */
  public static void end(WithSpanCall call, Object returned, Throwable error) {
    if (call == null) {
      return;
    }
    call.scope.close();
    if (error == null && returned instanceof CompletionStage) {
      ((CompletionStage<?>) returned).whenComplete((value, failure) -> finish(call.span, failure));
    } else {
      finish(call.span, error);
    }
  }

  private static void finish(Span span, Throwable error) {
    if (error != null) {
      span.setStatus(StatusCode.ERROR);
      span.recordException(error);
    }
    span.end();
  }

  private static void setAttribute(SpanBuilder builder, String key, Object value) {
    if (value instanceof String) {
      builder.setAttribute(key, (String) value);
    } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      builder.setAttribute(AttributeKey.longKey(key), ((Number) value).longValue());
    } else if (value instanceof Double || value instanceof Float) {
      builder.setAttribute(AttributeKey.doubleKey(key), ((Number) value).doubleValue());
    } else if (value instanceof Boolean) {
      builder.setAttribute(key, (Boolean) value);
    } else {
      builder.setAttribute(key, String.valueOf(value));
    }
  }

  /** What one annotated method asks for. */
  static final class SpanSpec {
    static final SpanSpec UNREADABLE = new SpanSpec(null, null, new String[0]);

    final String name;
    final SpanKind kind;
    final String[] attributes;

    private SpanSpec(String name, SpanKind kind, String[] attributes) {
      this.name = name;
      this.kind = kind;
      this.attributes = attributes;
    }

    static SpanSpec read(Class<?> type, String methodName, String descriptor) {
      try {
        for (Method method : type.getDeclaredMethods()) {
          if (method.getName().equals(methodName) && descriptor.equals(
              MethodType.methodType(method.getReturnType(), method.getParameterTypes()).toMethodDescriptorString())) {
            return of(type, method);
          }
        }
      } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
        AgentLog.warnOnce("withspan:" + type.getName(), "cannot read @WithSpan of " + type.getName() + "."
            + methodName + "; it runs untraced", e);
      }
      return UNREADABLE;
    }

    private static SpanSpec of(Class<?> type, Method method) throws ReflectiveOperationException {
      String name = null;
      SpanKind kind = SpanKind.INTERNAL;
      for (Annotation annotation : method.getAnnotations()) {
        if (annotation.annotationType().getName().equals(WITH_SPAN)) {
          name = (String) annotation.annotationType().getMethod("value").invoke(annotation);
          kind = SpanKind.valueOf(((Enum<?>) annotation.annotationType().getMethod("kind").invoke(annotation)).name());
        }
      }
      if (name == null || name.isEmpty()) {
        name = type.getSimpleName() + "." + method.getName();
      }
      Parameter[] parameters = method.getParameters();
      Annotation[][] parameterAnnotations = method.getParameterAnnotations();
      String[] attributes = new String[parameters.length];
      for (int i = 0; i < parameters.length; i++) {
        for (Annotation annotation : parameterAnnotations[i]) {
          if (annotation.annotationType().getName().equals(SPAN_ATTRIBUTE)) {
            String key = (String) annotation.annotationType().getMethod("value").invoke(annotation);
            attributes[i] = !key.isEmpty() ? key : parameters[i].isNamePresent() ? parameters[i].getName() : null;
          }
        }
      }
      return new SpanSpec(name, kind, attributes);
    }
  }
}
