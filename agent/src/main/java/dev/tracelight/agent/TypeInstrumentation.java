package dev.tracelight.agent;

import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Advice for one instrumented type. Advice classes are nested in the implementation, are inlined into the
 * instrumented methods, suppress Throwable, and may reference only the library's own types and bootstrap classes
 * ({@code dev.tracelight.bootstrap}, the OpenTelemetry API).
 */
public interface TypeInstrumentation {
  /** Cheap name matchers: this runs for every class the JVM loads. */
  ElementMatcher<TypeDescription> typeMatcher();

  void transform(AdviceBinding advice);
}
