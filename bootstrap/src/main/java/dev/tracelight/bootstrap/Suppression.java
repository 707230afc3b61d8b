package dev.tracelight.bootstrap;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;

/**
 * Marks work the agent does for itself (exporting telemetry over HTTP), so that our own HTTP client instrumentation
 * does not trace it: an exported batch must not produce spans that need exporting.
 */
public final class Suppression {
  private static final ContextKey<Boolean> SUPPRESSED = ContextKey.named("tracelight-suppressed");

  private Suppression() {}

  public static Context suppressed() {
    return Context.current().with(SUPPRESSED, Boolean.TRUE);
  }

  public static boolean isSuppressed(Context context) {
    return context.get(SUPPRESSED) != null;
  }
}
