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
 * Where a request enters the application: the container's filter chain, whose {@code doFilter} runs the first filter
 * (so every filter, and a request a filter answers itself, is inside the span), and {@code HttpServlet.service}, which
 * every container calls for every HTTP servlet (the entry when no filter applies, or in a container whose chain is not
 * listed). The outermost of them starts the span (nested ones find the request marked and do nothing); only
 * {@code REQUEST} dispatches start one, so error pages, forwards, includes and async re-dispatches stay in the
 * original span.
 *
 * <p>Chains are matched by class name, not as implementations of {@code Filter}/{@code FilterChain}: a type
 * hierarchy matcher would read the super types of every class the JVM loads.
 */
final class ServletEntryInstrumentation implements TypeInstrumentation {
  /**
   * The {@code FilterChain} a container calls first, one name for javax and jakarta alike (the method's argument
   * types pick the API): Tomcat 9–11; Jetty 10/11 and Jetty 12's ee8–ee11 environments (one {@code Chain} per
   * filter, the outermost is the head), Jetty 9.4's cached chain; Undertow 2.x.
   */
  private static final String[] FILTER_CHAINS = {
      "org.apache.catalina.core.ApplicationFilterChain",
      "org.eclipse.jetty.servlet.ServletHandler$Chain",
      "org.eclipse.jetty.servlet.ServletHandler$CachedChain",
      "org.eclipse.jetty.ee8.servlet.ServletHandler$Chain",
      "org.eclipse.jetty.ee9.servlet.ServletHandler$Chain",
      "org.eclipse.jetty.ee10.servlet.ServletHandler$Chain",
      "org.eclipse.jetty.ee11.servlet.ServletHandler$Chain",
      "io.undertow.servlet.handlers.FilterHandler$FilterChainImpl",
  };

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
    return namedOneOf(api + ".http.HttpServlet").or(namedOneOf(FILTER_CHAINS));
  }

  @Override
  public void transform(AdviceBinding advice) {
    advice.apply(namedOneOf("service", "doFilter").and(isPublic()).and(takesArguments(2))
        .and(takesArgument(0, named(api + ".ServletRequest")))
        .and(takesArgument(1, named(api + ".ServletResponse"))), adviceClassName);
  }
}
