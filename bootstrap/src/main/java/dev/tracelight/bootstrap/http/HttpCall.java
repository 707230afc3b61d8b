package dev.tracelight.bootstrap.http;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

/** One traced HTTP exchange: its span, the context to propagate, and the scope while it is current. */
public final class HttpCall {
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
  private boolean ended;

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
  synchronized boolean markEnded() {
    if (ended) {
      return false;
    }
    ended = true;
    return true;
  }

  public synchronized boolean isEnded() {
    return ended;
  }
}
