package dev.tracelight.bootstrap.otelapi;

import dev.tracelight.bootstrap.AgentLog;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * One context for the application and the agent. The application's {@code ContextStorage} is ours
 * ({@link #storage}), and each application {@code Context} is a view of one agent {@link Context}: the span and the
 * baggage are the agent's own entries (converted both ways), and every other key the application uses lives in the
 * application's own context object, which the agent context carries under a key of this class loader. So the
 * agent's propagation across threads and requests carries the application's values too.
 */
final class ContextBridge {
  private final ApplicationApi api;
  private final ContextKey<Object> applicationContext = ContextKey.named("tracelight-application-context");
  // The application object a span or baggage came from, so the application gets back what it stored.
  private final ContextKey<Stored> applicationSpan = ContextKey.named("tracelight-application-span");
  private final ContextKey<Stored> applicationBaggage = ContextKey.named("tracelight-application-baggage");
  private final Object spanKey;
  private final Object baggageKey;
  private final Object applicationRoot;
  private final Object rootView;
  private final Object storage;

  ContextBridge(ApplicationApi api) throws ReflectiveOperationException {
    this.api = api;
    spanKey = keyStoredBy(api.call("api.trace.Span#getInvalid", null));
    baggageKey = keyStoredBy(api.call("api.baggage.Baggage#empty", null));
    Class<?> storageType = api.load("context.ContextStorage");
    applicationRoot = api.call("context.ContextStorage#root", api.call("context.ContextStorage#defaultStorage", null));
    rootView = newView(Context.root());
    storage = api.newProxy(storageType, this::invokeStorage);
  }

  /** The application's {@code ContextStorage}: the agent's. */
  Object storage() {
    return storage;
  }

  Object view(Context agent) {
    return agent == Context.root() ? rootView : newView(agent);
  }

  /** The agent context an application context stands for. */
  Context toAgent(Object application) throws ReflectiveOperationException {
    Context agent = agentContextOf(application);
    if (agent != null) {
      return agent;
    }
    // a context the application made without our storage (its own Context implementation)
    agent = Context.root().with(applicationContext, application);
    Object span = api.call("context.Context#get", application, spanKey);
    if (span != null) {
      agent = withSpan(agent, span);
    }
    Object baggage = api.call("context.Context#get", application, baggageKey);
    return baggage == null ? agent : withBaggage(agent, baggage);
  }

  Context agentContextOf(Object application) {
    if (application != null && Proxy.isProxyClass(application.getClass())) {
      InvocationHandler handler = Proxy.getInvocationHandler(application);
      if (handler instanceof View) {
        return ((View) handler).agent;
      }
    }
    return null;
  }

  private Object newView(Context agent) {
    return api.newProxy(api.contextType, new View(agent));
  }

  private Object invokeStorage(Object proxy, Method method, Object[] args) throws Throwable {
    try {
      switch (method.getName()) {
        case "attach":
          Scope scope = toAgent(args[0]).makeCurrent();
          return api.toApplication(scope, api.scopeType);
        case "current":
          return view(Context.current());
        case "root":
          return rootView;
        default:
          return ApplicationApi.neutral(proxy, method, args);
      }
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      // never seen; if it were, the application's scopes keep working, only without the agent's context
      AgentLog.warnOnce("otelapi-storage:" + method.getName(),
          "the application's context could not be joined to the agent's (" + method.getName() + ")", e);
      return method.getName().equals("attach") ? api.call("context.Scope#noop", null)
          : method.getName().equals("root") ? applicationRoot : null;
    }
  }

  private Object get(Context agent, Object key) throws ReflectiveOperationException {
    if (key == spanKey) {
      Span span = Span.fromContextOrNull(agent);
      Stored stored = agent.get(applicationSpan);
      return span == null ? null : stored != null && stored.ours == span ? stored.application
          : api.toApplication(span, api.spanType);
    }
    if (key == baggageKey) {
      Baggage baggage = Baggage.fromContextOrNull(agent);
      Stored stored = agent.get(applicationBaggage);
      return baggage == null ? null : stored != null && stored.ours == baggage ? stored.application
          : api.baggage(baggage);
    }
    return api.call("context.Context#get", applicationContext(agent), key);
  }

  private Context with(Context agent, Object key, Object value) throws ReflectiveOperationException {
    if (key == spanKey) {
      return value == null ? agent : withSpan(agent, value);
    }
    if (key == baggageKey) {
      return value == null ? agent : withBaggage(agent, value);
    }
    return agent.with(applicationContext, api.call("context.Context#with", applicationContext(agent), key, value));
  }

  private Context withSpan(Context agent, Object applicationSpanObject) throws ReflectiveOperationException {
    Object ours = ApplicationApi.target(applicationSpanObject);
    if (ours instanceof Span) {
      return agent.with((Span) ours);
    }
    Span wrapped = Span.wrap(api.spanContext(api.call("api.trace.Span#getSpanContext", applicationSpanObject)));
    return agent.with(wrapped).with(applicationSpan, new Stored(applicationSpanObject, wrapped));
  }

  private Context withBaggage(Context agent, Object applicationBaggageObject) throws ReflectiveOperationException {
    Baggage ours = api.baggage(applicationBaggageObject);
    return agent.with(ours).with(applicationBaggage, new Stored(applicationBaggageObject, ours));
  }

  private Object applicationContext(Context agent) {
    Object application = agent.get(applicationContext);
    return application == null ? applicationRoot : application;
  }

  /** The key {@code Span.storeInContext}/{@code Baggage.storeInContext} use: package-private in the API. */
  private Object keyStoredBy(Object implicitContextKeyed) throws ReflectiveOperationException {
    Object[] key = new Object[1];
    Object probe = api.newProxy(api.contextType, (proxy, method, args) -> {
      if (method.getName().equals("with") && args != null && args.length == 2) {
        key[0] = args[0];
      }
      return ApplicationApi.neutral(proxy, method, args);
    });
    api.call("context.ImplicitContextKeyed#storeInContext", implicitContextKeyed, probe);
    if (key[0] == null) {
      throw new IllegalStateException("no context key from " + implicitContextKeyed.getClass().getName());
    }
    return key[0];
  }

  /** An application {@code Context} over one agent context. */
  private final class View implements InvocationHandler {
    final Context agent;

    View(Context agent) {
      this.agent = agent;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      String name = method.getName();
      switch (name) {
        case "get":
          return get(agent, args[0]);
        case "with":
          return args.length == 2 ? view(with(agent, args[0], args[1]))
              : api.call("context.ImplicitContextKeyed#storeInContext", args[0], proxy);
        case "makeCurrent":
          // through the application's ContextStorage.get(), so wrappers it registered still apply
          return api.call("context.ContextStorage#attach", api.call("context.ContextStorage#get", null),
              proxy);
        case "equals":
          return proxy == args[0] || agent == agentContextOf(args[0]);
        case "hashCode":
          return System.identityHashCode(agent);
        case "toString":
          return "tracelight bridge Context " + agent;
        default:
          break;
      }
      if (name.startsWith("wrap")) {
        // wrap(Runnable), wrap(Executor), wrapFunction…: JDK types only, so the agent context's own method does it
        try {
          return Context.class.getMethod(name, method.getParameterTypes()).invoke(agent, args);
        } catch (NoSuchMethodException e) {
          return ApplicationApi.neutral(proxy, method, args);
        } catch (InvocationTargetException e) {
          throw e.getCause();
        }
      }
      return ApplicationApi.neutral(proxy, method, args);
    }
  }

  private static final class Stored {
    final Object application;
    final Object ours;

    Stored(Object application, Object ours) {
      this.application = application;
      this.ours = ours;
    }
  }
}
