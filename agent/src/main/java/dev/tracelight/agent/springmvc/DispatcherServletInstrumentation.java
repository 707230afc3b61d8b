package dev.tracelight.agent.springmvc;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.tracelight.agent.AdviceBinding;
import dev.tracelight.agent.LibraryShape;
import dev.tracelight.agent.TypeInstrumentation;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code DispatcherServlet.getHandler(request)}: once a handler is found, the mapping has stored the best matching
 * pattern in a request attribute (annotated controllers, and {@code SimpleUrlHandlerMapping}), which becomes the
 * route. {@code processHandlerException} returning normally means a resolver turned the exception into a response:
 * a handler's exception is then recorded on the span (an unresolved one propagates to the servlet advice instead).
 * Without a handler it is Spring's way of answering 404/405 ({@code NoHandlerFoundException}, thrown by default
 * since Spring 6.1), no failure of the application, and is not recorded.
 */
final class DispatcherServletInstrumentation implements TypeInstrumentation {
  static final String DISPATCHER_SERVLET = "org.springframework.web.servlet.DispatcherServlet";

  private final String api;
  private final String advicePrefix;

  /** @param flavour {@code Javax} or {@code Jakarta}: which nested advice classes, by name (never loaded here) */
  DispatcherServletInstrumentation(String api, String flavour) {
    this.api = api;
    this.advicePrefix = DispatcherServletInstrumentation.class.getPackageName() + "." + flavour + "DispatcherAdvice$";
  }

  static LibraryShape shape(String api) {
    return LibraryShape.builder()
        .method(DISPATCHER_SERVLET, "getHandler", 1)
        .method(DISPATCHER_SERVLET, "processHandlerException", 4)
        .type(api + ".http.HttpServletRequest")
        .build();
  }

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named(DISPATCHER_SERVLET);
  }

  @Override
  public void transform(AdviceBinding advice) {
    advice.apply(named("getHandler").and(takesArguments(1))
            .and(takesArgument(0, named(api + ".http.HttpServletRequest"))), advicePrefix + "GetHandler")
        .apply(named("processHandlerException").and(takesArguments(4))
            .and(takesArgument(0, named(api + ".http.HttpServletRequest"))), advicePrefix + "ProcessHandlerException");
  }
}
