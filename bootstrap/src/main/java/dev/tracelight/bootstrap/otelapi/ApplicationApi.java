package dev.tracelight.bootstrap.otelapi;

import dev.tracelight.bootstrap.AgentLog;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.BaggageBuilder;
import io.opentelemetry.api.baggage.BaggageEntryMetadata;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributeType;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.TraceStateBuilder;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * One application class loader's OpenTelemetry API (1.10 or newer) as a view of the agent's. Our relocated API has
 * the same interfaces under another package, so an application object is a JDK proxy ({@link Mirror}) of its own
 * interface over the agent's object, and a call is forwarded to our method of the same name and mapped parameter
 * types: application API values going in and agent API values coming out are converted on the way. Value types
 * (attributes, span contexts, baggage) are copied; {@link ContextBridge} handles contexts. A method our API lacks (an
 * application API newer than ours) answers a neutral value: never an exception. No class of ours is defined in the
 * loader.
 */
final class ApplicationApi {
  // Built at run time: the jar build relocates every "io.opentelemetry…" constant to our shaded package.
  static final String PREFIX = String.join(".", "io", "opentelemetry", "");
  private static final String OUR_PREFIX =
      Span.class.getName().substring(0, Span.class.getName().length() - "api.trace.Span".length());

  final ClassLoader loader;
  final Class<?> spanType;
  final Class<?> contextType;
  final Class<?> scopeType;
  final ContextBridge contexts;
  private final Map<Method, Forward> forwards = new ConcurrentHashMap<>();
  private final Class<?> openTelemetryType;
  private final Map<String, Method> methods = new ConcurrentHashMap<>();
  private final Map<Class<?>, Constructor<?>> proxyConstructors = new ConcurrentHashMap<>();
  // Application AttributeKeys are mostly constants: their counterparts are made once (bounded: some are made per call)
  private final Map<Object, AttributeKey<?>> attributeKeys = new ConcurrentHashMap<>();
  private volatile Object openTelemetry;
  // {ours, the application's}: the span (and its context) last handed out is mostly asked for again, by
  // Span.current() and getSpanContext() within one request; converting costs reflection and id validation.
  private volatile Object[] lastSpan;
  private volatile Object[] lastSpanContext;
  // Applications mostly pass the same Attributes objects again (constants): converted ones, by identity, in 64 slots.
  // A slot may be overwritten or read stale by another thread: that only costs a conversion (final fields).
  private final ConvertedAttributes[] convertedAttributes = new ConvertedAttributes[64];

  private ApplicationApi(ClassLoader loader) throws ReflectiveOperationException {
    this.loader = loader;
    spanType = load("api.trace.Span");
    contextType = load("context.Context");
    scopeType = load("context.Scope");
    openTelemetryType = load("api.OpenTelemetry");
    contexts = new ContextBridge(this);
  }

  static ApplicationApi create(ClassLoader loader) {
    try {
      return new ApplicationApi(loader);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("OpenTelemetry API 1.10+ types not found", e);
    }
  }

  /** The application's {@code OpenTelemetry}: the agent's SDK (tracing, metrics, logs, propagators). */
  Object openTelemetry(io.opentelemetry.api.OpenTelemetry agentSdk) {
    Object view = openTelemetry;
    if (view == null) {
      view = mirror(openTelemetryType, agentSdk);
      openTelemetry = view;
    }
    return view;
  }

  Class<?> load(String nameAfterPrefix) throws ClassNotFoundException {
    return Class.forName(PREFIX + nameAfterPrefix, false, loader);
  }

  /** An application API object for one of ours; {@code applicationType} is what the application's method declares. */
  Object toApplication(Object ours, Class<?> applicationType) throws ReflectiveOperationException {
    if (ours == null || !applicationType.getName().startsWith(PREFIX)) {
      return ours;
    }
    if (ours instanceof Context) {
      return contexts.view((Context) ours);
    }
    if (ours instanceof SpanContext) {
      Object[] last = lastSpanContext;
      if (last != null && last[0] == ours) {
        return last[1];
      }
      Object converted = spanContext((SpanContext) ours);
      lastSpanContext = new Object[] {ours, converted};
      return converted;
    }
    if (ours instanceof Baggage) {
      return baggage((Baggage) ours);
    }
    if (ours instanceof Enum) {
      return enumConstant(applicationType, ((Enum<?>) ours).name());
    }
    if (ours instanceof Span) {
      Object[] last = lastSpan;
      if (last != null && last[0] == ours) {
        return last[1];
      }
      Object mirror = mirror(spanType, ours);
      lastSpan = new Object[] {ours, mirror};
      return mirror;
    }
    return applicationType.isInterface() ? mirror(applicationType, ours) : null;
  }

  /** One of ours for an application API value; {@code applicationType} gives a Consumer's element type. */
  Object toOurs(Object application, Class<?> ourType, Type applicationType) throws ReflectiveOperationException {
    if (application == null) {
      return null;
    }
    if (ourType == Consumer.class && applicationType instanceof ParameterizedType) {
      return consumer(application, (ParameterizedType) applicationType);
    }
    if (!isOurApi(ourType)) {
      return application;
    }
    if (ourType.isArray()) {
      int length = Array.getLength(application);
      Object array = Array.newInstance(ourType.getComponentType(), length);
      for (int i = 0; i < length; i++) {
        Array.set(array, i, toOurs(Array.get(application, i), ourType.getComponentType(), null));
      }
      return array;
    }
    Object target = target(application);
    if (target != null && ourType.isInstance(target)) {
      return target;
    }
    if (ourType == Context.class) {
      return contexts.toAgent(application);
    }
    if (ourType == Span.class) {
      return Span.wrap(spanContext(call("api.trace.Span#getSpanContext", application)));
    }
    if (ourType == SpanContext.class) {
      return spanContext(application);
    }
    if (ourType == Attributes.class) {
      return attributes(application);
    }
    if (ourType == AttributeKey.class) {
      return attributeKey(application);
    }
    if (ourType == Baggage.class) {
      return baggage(application);
    }
    if (ourType == Value.class) {
      return value(application);
    }
    if (ourType == TextMapSetter.class) {
      return setter(application);
    }
    if (ourType == TextMapGetter.class) {
      return getter(application);
    }
    if (ourType.isEnum()) {
      return enumConstant(ourType, ((Enum<?>) application).name());
    }
    throw new IllegalArgumentException("no conversion of " + application.getClass().getName() + " to " + ourType);
  }

  SpanContext spanContext(Object application) throws ReflectiveOperationException {
    String traceId = (String) call("api.trace.SpanContext#getTraceId", application);
    String spanId = (String) call("api.trace.SpanContext#getSpanId", application);
    byte flags = (Byte) call("api.trace.TraceFlags#asByte",
        call("api.trace.SpanContext#getTraceFlags", application));
    List<String[]> entries = new ArrayList<>();
    call("api.trace.TraceState#forEach", call("api.trace.SpanContext#getTraceState", application),
        (BiConsumer<String, String>) (key, value) -> entries.add(new String[] {key, value}));
    TraceStateBuilder state = TraceState.builder();
    // put() adds in front: add in reverse to keep the order
    for (int i = entries.size() - 1; i >= 0; i--) {
      state.put(entries.get(i)[0], entries.get(i)[1]);
    }
    return (Boolean) call("api.trace.SpanContext#isRemote", application)
        ? SpanContext.createFromRemoteParent(traceId, spanId, TraceFlags.fromByte(flags), state.build())
        : SpanContext.create(traceId, spanId, TraceFlags.fromByte(flags), state.build());
  }

  Baggage baggage(Object application) throws ReflectiveOperationException {
    BaggageBuilder builder = Baggage.builder();
    List<Object[]> entries = new ArrayList<>();
    call("api.baggage.Baggage#forEach", application,
        (BiConsumer<String, Object>) (name, entry) -> entries.add(new Object[] {name, entry}));
    for (Object[] entry : entries) {
      Object metadata = call("api.baggage.BaggageEntry#getMetadata", entry[1]);
      builder.put((String) entry[0], (String) call("api.baggage.BaggageEntry#getValue", entry[1]),
          BaggageEntryMetadata.create((String) call("api.baggage.BaggageEntryMetadata#getValue", metadata)));
    }
    return builder.build();
  }

  Object baggage(Baggage ours) throws ReflectiveOperationException {
    Object builder = call("api.baggage.Baggage#builder", null);
    for (Map.Entry<String, io.opentelemetry.api.baggage.BaggageEntry> entry : ours.asMap().entrySet()) {
      call("api.baggage.BaggageBuilder#put", builder, entry.getKey(), entry.getValue().getValue(),
          call("api.baggage.BaggageEntryMetadata#create", null, entry.getValue().getMetadata().getValue()));
    }
    return call("api.baggage.BaggageBuilder#build", builder);
  }

  /** The application object's agent object when it is one of our proxies, else null. */
  static Object target(Object application) {
    if (application != null && Proxy.isProxyClass(application.getClass())) {
      InvocationHandler handler = Proxy.getInvocationHandler(application);
      if (handler instanceof Mirror) {
        return ((Mirror) handler).target;
      }
    }
    return null;
  }

  Object mirror(Class<?> applicationType, Object target) {
    return newProxy(applicationType, new Mirror(target));
  }

  /** A proxy of one application interface; its constructor is looked up once (newProxyInstance is slow per call). */
  Object newProxy(Class<?> applicationType, InvocationHandler handler) {
    try {
      return proxyConstructors.computeIfAbsent(applicationType, type -> {
        try {
          return Proxy.newProxyInstance(loader, new Class<?>[] {type}, (proxy, method, args) -> null).getClass()
              .getConstructor(InvocationHandler.class);
        } catch (NoSuchMethodException e) {
          throw new IllegalStateException(e);
        }
      }).newInstance(handler);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private Object spanContext(SpanContext ours) throws ReflectiveOperationException {
    Object state;
    if (ours.getTraceState().isEmpty()) {
      state = call("api.trace.TraceState#getDefault", null);
    } else {
      Object builder = call("api.trace.TraceState#builder", null);
      List<Map.Entry<String, String>> entries = new ArrayList<>(ours.getTraceState().asMap().entrySet());
      for (int i = entries.size() - 1; i >= 0; i--) {
        call("api.trace.TraceStateBuilder#put", builder, entries.get(i).getKey(), entries.get(i).getValue());
      }
      state = call("api.trace.TraceStateBuilder#build", builder);
    }
    Object flags = call("api.trace.TraceFlags#fromByte", null, ours.getTraceFlags().asByte());
    return call(ours.isRemote() ? "api.trace.SpanContext#createFromRemoteParent" : "api.trace.SpanContext#create", null,
        ours.getTraceId(), ours.getSpanId(), flags, state);
  }

  private Attributes attributes(Object application) throws ReflectiveOperationException {
    int slot = System.identityHashCode(application) & (convertedAttributes.length - 1);
    ConvertedAttributes last = convertedAttributes[slot];
    if (last != null && last.application == application) {
      return last.ours;
    }
    Attributes ours = newAttributes(application);
    convertedAttributes[slot] = new ConvertedAttributes(application, ours);
    return ours;
  }

  private Attributes newAttributes(Object application) throws ReflectiveOperationException {
    AttributesBuilder builder = Attributes.builder();
    List<Object[]> entries = new ArrayList<>();
    call("api.common.Attributes#forEach", application,
        (BiConsumer<Object, Object>) (key, value) -> entries.add(new Object[] {key, value}));
    for (Object[] entry : entries) {
      @SuppressWarnings("unchecked")
      AttributeKey<Object> ourKey = (AttributeKey<Object>) attributeKey(entry[0]);
      // VALUE attributes (API 1.5x+) hold the application's Value objects: ours must not see them
      builder.put(ourKey, ourKey.getType() == AttributeType.VALUE ? value(entry[1]) : entry[1]);
    }
    return builder.build();
  }

  /** {@code AttributeKey.stringKey(name)}, {@code longArrayKey(name)}…: the factory named after the key's type. */
  private AttributeKey<?> attributeKey(Object application) throws ReflectiveOperationException {
    AttributeKey<?> ours = attributeKeys.get(application);
    if (ours == null) {
      ours = newAttributeKey(application);
      if (attributeKeys.size() < 1024) {
        attributeKeys.put(application, ours);
      }
    }
    return ours;
  }

  private AttributeKey<?> newAttributeKey(Object application) throws ReflectiveOperationException {
    String name = (String) call("api.common.AttributeKey#getKey", application);
    String type = ((Enum<?>) call("api.common.AttributeKey#getType", application)).name();
    String[] words = type.toLowerCase(java.util.Locale.ROOT).split("_");
    StringBuilder factory = new StringBuilder(words[0]);
    for (int i = 1; i < words.length; i++) {
      factory.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
    }
    return (AttributeKey<?>) AttributeKey.class.getMethod(factory.append("Key").toString(), String.class)
        .invoke(null, name);
  }

  private Value<?> value(Object application) throws ReflectiveOperationException {
    Object raw = call("api.common.Value#getValue", application);
    switch (((Enum<?>) call("api.common.Value#getType", application)).name()) {
      case "STRING":
        return Value.of((String) raw);
      case "BOOLEAN":
        return Value.of((Boolean) raw);
      case "LONG":
        return Value.of((Long) raw);
      case "DOUBLE":
        return Value.of((Double) raw);
      default:
        return Value.of((String) call("api.common.Value#asString", application));
    }
  }

  private Consumer<Object> consumer(Object application, ParameterizedType type) {
    Type element = type.getActualTypeArguments()[0];
    @SuppressWarnings("unchecked")
    Consumer<Object> applicationConsumer = (Consumer<Object>) application;
    if (!(element instanceof Class) || !((Class<?>) element).getName().startsWith(PREFIX)) {
      return applicationConsumer;
    }
    Class<?> elementType = (Class<?>) element;
    return ours -> applicationConsumer.accept(mirror(elementType, ours));
  }

  private TextMapSetter<Object> setter(Object application) {
    return (carrier, key, value) -> unchecked("context.propagation.TextMapSetter#set", application, carrier, key,
        value);
  }

  private TextMapGetter<Object> getter(Object application) {
    return new TextMapGetter<>() {
      @Override
      @SuppressWarnings("unchecked")
      public Iterable<String> keys(Object carrier) {
        return (Iterable<String>) unchecked("context.propagation.TextMapGetter#keys", application, carrier);
      }

      @Override
      public String get(Object carrier, String key) {
        return (String) unchecked("context.propagation.TextMapGetter#get", application, carrier, key);
      }
    };
  }

  /**
   * Calls the application API's method {@code "type#name"} (by the interface, so implementation classes that are not
   * public are no obstacle): the first method of that name with as many parameters, looked up once.
   */
  Object call(String typeAndName, Object target, Object... args) throws ReflectiveOperationException {
    Method method = methods.get(typeAndName);
    if (method == null) {
      int hash = typeAndName.indexOf('#');
      String name = typeAndName.substring(hash + 1);
      for (Method candidate : load(typeAndName.substring(0, hash)).getMethods()) {
        if (candidate.getName().equals(name) && candidate.getParameterCount() == args.length) {
          method = candidate;
          break;
        }
      }
      if (method == null) {
        throw new NoSuchMethodException(PREFIX + typeAndName);
      }
      methods.put(typeAndName, accessible(method));
    }
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw sneaky(e.getCause());
    }
  }

  private Object unchecked(String typeAndName, Object target, Object... args) {
    try {
      return call(typeAndName, target, args);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Our method for an application API method, or {@link Forward#NONE} when our API has none (a newer API). */
  private Forward forward(Method applicationMethod) {
    Forward known = forwards.get(applicationMethod); // computeIfAbsent would lock on most hits
    return known != null ? known : forwards.computeIfAbsent(applicationMethod, method -> {
      try {
        Class<?> declaring = method.getDeclaringClass();
        if (!declaring.getName().startsWith(PREFIX)) {
          return new Forward(accessible(method), method);
        }
        Class<?>[] parameters = method.getParameterTypes();
        Class<?>[] ours = new Class<?>[parameters.length];
        for (int i = 0; i < parameters.length; i++) {
          ours[i] = ourType(parameters[i]);
        }
        return new Forward(accessible(ourType(declaring).getMethod(method.getName(), ours)), method);
      } catch (ReflectiveOperationException | LinkageError e) {
        AgentLog.debug("otelapi: no agent counterpart of " + method + "; it answers a neutral value");
        return Forward.NONE;
      }
    });
  }

  /** Skips the access check on each call (a measurable share of a bridged call) where the module system allows. */
  private static Method accessible(Method method) {
    try {
      method.setAccessible(true);
    } catch (RuntimeException e) {
      // a named module that does not open the package: the public method still works, checked on each call
    }
    return method;
  }

  private static Class<?> ourType(Class<?> applicationType) throws ClassNotFoundException {
    if (applicationType.isArray()) {
      return Array.newInstance(ourType(applicationType.getComponentType()), 0).getClass();
    }
    String name = applicationType.getName();
    return name.startsWith(PREFIX) ? Class.forName(OUR_PREFIX + name.substring(PREFIX.length()), false,
        Span.class.getClassLoader()) : applicationType;
  }

  private static boolean isOurApi(Class<?> type) {
    Class<?> element = type.isArray() ? type.getComponentType() : type;
    return element.getName().startsWith(OUR_PREFIX);
  }

  private static Object enumConstant(Class<?> enumType, String name) {
    for (Object constant : enumType.getEnumConstants()) {
      if (((Enum<?>) constant).name().equals(name)) {
        return constant;
      }
    }
    return null;
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> RuntimeException sneaky(Throwable error) throws T {
    throw (T) error;
  }

  /** Object's methods, fluent methods (the proxy), else the zero value of the return type. */
  static Object neutral(Object proxy, Method method, Object[] args) {
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
    if (!type.isPrimitive() || type == void.class) {
      return null;
    }
    if (type == boolean.class) {
      return false;
    }
    return type == double.class ? (Object) 0.0 : type == float.class ? (Object) 0f
        : type == long.class ? (Object) 0L : (Object) 0;
  }

  /** An application API interface over the agent's object: each call forwarded to our method of the same shape. */
  private final class Mirror implements InvocationHandler {
    final Object target;

    Mirror(Object target) {
      this.target = target;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (method.getDeclaringClass() == Object.class) {
        switch (method.getName()) {
          case "equals":
            return target.equals(target(args[0]));
          case "hashCode":
            return target.hashCode();
          default:
            return "tracelight bridge " + target;
        }
      }
      Forward forward = forward(method);
      if (forward == Forward.NONE) {
        return neutral(proxy, method, args);
      }
      try {
        Object[] converted = null;
        if (args != null) {
          converted = new Object[args.length];
          for (int i = 0; i < args.length; i++) {
            converted[i] = toOurs(args[i], forward.parameters[i], forward.applicationParameters[i]);
          }
          if (args.length == 2 && converted[0] instanceof AttributeKey
              && ((AttributeKey<?>) converted[0]).getType() == AttributeType.VALUE && converted[1] != null) {
            converted[1] = value(converted[1]); // setAttribute(valueKey, Value): the value is typed Object
          }
        }
        Object result = forward.ours.invoke(target, converted);
        return result == target ? proxy : toApplication(result, method.getReturnType());
      } catch (Exception | LinkageError e) {
        // the API promises not to throw: a value we cannot convert (or an SDK failure) costs the call, not the app
        AgentLog.warnOnce("otelapi-call:" + method, "the application's " + method.getDeclaringClass().getSimpleName()
            + "." + method.getName() + " call did nothing: it could not be bridged to the agent",
            e instanceof InvocationTargetException ? e.getCause() : e);
        return neutral(proxy, method, args);
      }
    }
  }

  /** Our method and its parameter types, read once (each reflective getter copies its array). */
  private static final class Forward {
    static final Forward NONE = new Forward(null, null);

    final Method ours;
    final Class<?>[] parameters;
    final Type[] applicationParameters;

    Forward(Method ours, Method application) {
      this.ours = ours;
      this.parameters = ours == null ? null : ours.getParameterTypes();
      this.applicationParameters = application == null ? null : application.getGenericParameterTypes();
    }
  }

  private static final class ConvertedAttributes {
    final Object application;
    final Attributes ours;

    ConvertedAttributes(Object application, Attributes ours) {
      this.application = application;
      this.ours = ours;
    }
  }
}
