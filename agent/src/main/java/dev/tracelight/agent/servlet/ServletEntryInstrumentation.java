package dev.tracelight.agent.servlet;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.tracelight.agent.AdviceBinding;
import dev.tracelight.agent.LibraryShape;
import dev.tracelight.agent.TypeInstrumentation;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Where a request enters the application: {@code HttpServlet.service(ServletRequest, ServletResponse)}, which every
 * container calls for every HTTP servlet, and, where the container is known, its filter chain, so that filters run
 * inside the span too. The outermost of them starts the span (nested ones find it current and do nothing); only
 * {@code REQUEST} dispatches start one, so error pages, forwards and async re-dispatches stay in the original span.
 */
final class ServletEntryInstrumentation implements TypeInstrumentation {
  // Tomcat 9/10/11 (same class name for javax and jakarta). Other containers enter through HttpServlet.service.
  private static final String TOMCAT_FILTER_CHAIN = "org.apache.catalina.core.ApplicationFilterChain";

  private final String api;
  private final String adviceClassName;

  /** @param adviceSimpleName a class of this package, by name: a class literal would load it here, without its API */
  ServletEntryInstrumentation(String api, String adviceSimpleName) {
    this.api = api;
    this.adviceClassName = ServletEntryInstrumentation.class.getPackageName() + "." + adviceSimpleName;
  }

  /** What the advice calls: Servlet 3.0's dispatcher type and async API, for {@code api} javax or jakarta. */
  static LibraryShape shape(String api) {
    return LibraryShape.builder()
        .method(api + ".ServletRequest", "getDispatcherType", 0)
        .method(api + ".ServletRequest", "isAsyncStarted", 0)
        .method(api + ".AsyncContext", "addListener", 1)
        .method(api + ".http.HttpServletResponse", "getStatus", 0)
        .method(api + ".http.HttpServletResponse", "getHeaders", 1)
        .build();
  }

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return namedOneOf(api + ".http.HttpServlet", TOMCAT_FILTER_CHAIN);
  }

  @Override
  public void transform(AdviceBinding advice) {
    advice.apply(namedOneOf("service", "doFilter").and(isPublic()).and(takesArguments(2))
        .and(takesArgument(0, named(api + ".ServletRequest")))
        .and(takesArgument(1, named(api + ".ServletResponse"))), adviceClassName);
  }
}
