package dev.tracelight.bootstrap.http;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/** One traced HTTP exchange: its span, the context to propagate, and the scope while it is current. */
public final class HttpCall {
  private static final AtomicIntegerFieldUpdater<HttpCall> ENDED =
      AtomicIntegerFieldUpdater.newUpdater(HttpCall.class, "ended");

  final Span span;
  Context context;
  // What the duration metric needs at the end (HttpMetrics); set by the start methods and the route update.
  final long startNanos = System.nanoTime();
  String method;
  String scheme;
  String route;
  String protocolVersion;
  String serverAddress;
  long serverPort;
  private Scope scope;
  // 1 once ended; a CAS rather than a lock: it is taken on every span's end
  private volatile int ended;

  HttpCall(Span span, Context context) {
    this.span = span;
    this.context = context;
  }

  public Context context() {
    return context;
  }

  public void makeCurrent() {
    scope = context.makeCurrent();
  }

  public void closeScope() {
    if (scope != null) {
      scope.close();
      scope = null;
    }
  }

  /** Returns true once: the first caller ends the span, later ones (re-entrant paths) must not. */
  boolean markEnded() {
    return ENDED.compareAndSet(this, 0, 1);
  }

  public boolean isEnded() {
    return ended != 0;
  }
}
