package dev.tracelight.agent.servlet;

import dev.tracelight.bootstrap.http.HttpCall;
import dev.tracelight.bootstrap.http.HttpServerSpans;
import dev.tracelight.bootstrap.servlet.ServletSpans;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.servlet.AsyncListener;
import javax.servlet.DispatcherType;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletMapping;
import javax.servlet.http.HttpServletResponse;
import javax.servlet.http.MappingMatch;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into the servlet entry points (see {@link ServletEntryInstrumentation}): the outermost starts the SERVER
 * span, named by the route of the servlet mapping the container chose (Servlet 4.0+; a framework such as Spring MVC
 * may refine it later), and ends it on return or, for an async request, when it completes. {@link
 * JakartaServletAdvice} is the same code over {@code jakarta.servlet}: inlined advice must name the library's own
 * types.
 */
@SuppressWarnings("unused")
public final class JavaxServletAdvice {
  private JavaxServletAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static HttpCall enter(@Advice.Argument(0) ServletRequest request) {
    if (!(request instanceof HttpServletRequest) || request.getDispatcherType() != DispatcherType.REQUEST
        || request.getAttribute(ServletSpans.TRACED) != null) {
      return null;
    }
    HttpServletRequest http = (HttpServletRequest) request;
    Map<String, List<String>> headers = new HashMap<>();
    for (String name : HttpServerSpans.requestHeaderNames()) {
      Enumeration<String> values = http.getHeaders(name);
      if (values != null && values.hasMoreElements()) {
        headers.put(name, Collections.list(values));
      }
    }
    String route = null;
    if (ServletSpans.hasServletMapping(http.getClass())) {
      HttpServletMapping mapping = http.getHttpServletMapping();
      MappingMatch match = mapping.getMappingMatch();
      route = ServletSpans.mappedRoute(http.getContextPath(), match == null ? null : match.name(),
          mapping.getPattern(), http.getServletPath());
    }
    HttpCall call = HttpServerSpans.start(headers, http.getMethod(), http.getScheme(),
        ServletSpans.uri(http.getRequestURI(), http.getQueryString()), http.getProtocol(),
        InetSocketAddress.createUnresolved(http.getLocalAddr(), http.getLocalPort()), route);
    if (call != null) {
      request.setAttribute(ServletSpans.TRACED, Boolean.TRUE);
    }
    return call;
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.Enter HttpCall call, @Advice.Argument(0) ServletRequest request,
      @Advice.Argument(1) ServletResponse response, @Advice.Thrown Throwable thrown) {
    if (call == null) {
      return;
    }
    if (thrown == null && request.isAsyncStarted()) {
      call.closeScope();
      request.getAsyncContext().addListener((AsyncListener) ServletSpans.asyncListener(AsyncListener.class,
          HttpServletResponse.class, call, response));
      return;
    }
    HttpServletResponse http = (HttpServletResponse) response;
    Map<String, List<String>> headers = new HashMap<>();
    for (String name : HttpServerSpans.responseHeaderNames()) {
      Collection<String> values = http.getHeaders(name);
      if (values != null && !values.isEmpty()) {
        headers.put(name, new ArrayList<>(values));
      }
    }
    Throwable error = ServletSpans.handlerError(thrown);
    HttpServerSpans.end(call, ServletSpans.status(http.getStatus(), error), error, headers);
  }
}
