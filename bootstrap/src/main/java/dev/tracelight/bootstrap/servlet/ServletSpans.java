package dev.tracelight.bootstrap.servlet;

import dev.tracelight.bootstrap.http.HttpCall;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * What servlet advice (javax and jakarta alike) needs beyond the shared HTTP helpers, with plain values only: the
 * request URI, the route of the servlet mapping, the status a thrown exception will turn into, and the listener that
 * ends an async request's span.
 */
public final class ServletSpans {
  /**
   * Request attribute set once the request has its span: the nested entries (each filter's turn through the chain,
   * then the servlet) return at once instead of reading headers and mapping again.
   */
  public static final String TRACED = "dev.tracelight.servlet.traced";

  /** Whether a container's request class implements Servlet 4.0's {@code getHttpServletMapping}, once per class. */
  private static final ClassValue<Boolean> SERVLET_MAPPING = new ClassValue<Boolean>() {
    @Override
    protected Boolean computeValue(Class<?> requestType) {
      try {
        requestType.getMethod("getHttpServletMapping");
        return true;
      } catch (NoSuchMethodException | RuntimeException | LinkageError e) {
        return false;
      }
    }
  };

  private ServletSpans() {}

  /**
   * False on Servlet 3.x containers, where calling {@code getHttpServletMapping} would throw {@code
   * NoSuchMethodError} on every request: their servlets get no route from the mapping.
   */
  public static boolean hasServletMapping(Class<?> requestType) {
    return SERVLET_MAPPING.get(requestType);
  }

  /**
   * {@code http.route} from the mapping that selected the servlet ({@code HttpServletMapping}), with the context path
   * in front: exact {@code /hello} and path {@code /api/*} mappings as written, an extension mapping {@code *.do} as
   * {@code /*.do} (JSPs by their servlet path, which is the page), the context root as {@code /}. The default servlet
   * ({@code /}) and a catch-all {@code /*} match any path, so they name no route (the span is just {@code GET}).
   *
   * @param match the {@code MappingMatch} constant's name, or null when the container does not say
   */
  public static String mappedRoute(String contextPath, String match, String pattern, String servletPath) {
    if (match == null || pattern == null) {
      return null;
    }
    String context = contextPath == null ? "" : contextPath;
    switch (match) {
      case "EXACT":
        return context + pattern;
      case "PATH":
        return "/*".equals(pattern) ? null : context + pattern;
      case "EXTENSION":
        if (pattern.equals("*.jsp") || pattern.equals("*.jspx")) {
          return servletPath == null ? null : context + servletPath;
        }
        return context + "/" + pattern;
      case "CONTEXT_ROOT":
        return context + "/";
      default: // DEFAULT: the default servlet
        return null;
    }
  }

  /** The request target as the container decoded it: path and query kept raw, null if it is no valid URI. */
  public static URI uri(String requestUri, String query) {
    try {
      return new URI(query == null ? requestUri : requestUri + "?" + query);
    } catch (URISyntaxException | NullPointerException e) {
      return null;
    }
  }

  /**
   * {@code http.route} for a pattern a framework matched below the servlet: the context path, the servlet's prefix
   * when it is prefix-mapped ({@code /api/*}, so {@code pathInfo} is set), then the pattern.
   */
  public static String route(String contextPath, String servletPath, String pathInfo, String pattern) {
    StringBuilder route = new StringBuilder();
    if (contextPath != null) {
      route.append(contextPath);
    }
    if (pathInfo != null && servletPath != null) {
      route.append(servletPath);
    }
    return route.length() == 0 ? pattern : route.append(pattern).toString();
  }

  /** The container answers an exception that escaped the servlet with 500 after the span's method returned. */
  public static int status(int status, Throwable error) {
    return error != null && status < 400 ? 500 : status;
  }

  /** {@code ServletException} (Spring's {@code NestedServletException} too) wraps what the handler threw. */
  public static Throwable handlerError(Throwable error) {
    Throwable cause = error;
    while (cause != null && cause.getCause() != null && cause.getClass().getName().endsWith("ServletException")) {
      cause = cause.getCause();
    }
    return cause;
  }

  /**
   * An {@code AsyncListener} (javax or jakarta, whichever {@code listenerType} is) that ends {@code call} when the
   * async request completes. A JDK proxy in the listener type's own loader: no class of ours is defined there.
   */
  public static Object asyncListener(Class<?> listenerType, Class<?> responseType, HttpCall call, Object response) {
    return Proxy.newProxyInstance(listenerType.getClassLoader(), new Class<?>[] {listenerType},
        AsyncCompletion.create(listenerType, responseType, call, response));
  }
}
