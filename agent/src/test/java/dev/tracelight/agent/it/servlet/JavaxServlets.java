package dev.tracelight.agent.it.servlet;

import java.io.IOException;
import java.util.EnumSet;
import java.util.concurrent.CompletableFuture;
import javax.servlet.AsyncContext;
import javax.servlet.DispatcherType;
import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.FilterConfig;
import javax.servlet.FilterRegistration;
import javax.servlet.ServletContext;
import javax.servlet.ServletContextEvent;
import javax.servlet.ServletContextListener;
import javax.servlet.ServletException;
import javax.servlet.ServletRegistration;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * The servlets and the filter of the container apps over javax.servlet, registered by {@link Setup} through the
 * Servlet API itself so that every container (Tomcat, Jetty, Undertow) gets the same mappings;
 * {@link JakartaServlets} is the same over jakarta.servlet.
 */
public final class JavaxServlets {
  private JavaxServlets() {}

  /** Registers everything; maps {@link Plain} as the default servlet unless the app already has one at {@code /}. */
  public static final class Setup implements ServletContextListener {
    @Override
    public void contextInitialized(ServletContextEvent event) {
      ServletContext context = event.getServletContext();
      boolean hasDefault = context.getServletRegistrations().values().stream()
          .anyMatch(registration -> registration.getMappings().contains("/"));
      ServletRegistration.Dynamic plain = context.addServlet("plain", Plain.class);
      plain.addMapping(ServletPaths.PLAIN_MAPPINGS);
      if (!hasDefault) {
        plain.addMapping("/");
      }
      ServletRegistration.Dynamic async = context.addServlet("async", Async.class);
      async.setAsyncSupported(true);
      async.addMapping("/async");
      ServletRegistration.Dynamic dispatching = context.addServlet("async-dispatch", AsyncDispatch.class);
      dispatching.setAsyncSupported(true);
      dispatching.addMapping("/async-dispatch");
      context.addServlet("fail", Fail.class).addMapping("/fail");
      context.addServlet("forward", Forward.class).addMapping("/forward");
      context.addServlet("unavailable", Unavailable.class).addMapping("/unavailable");
      FilterRegistration.Dynamic guard = context.addFilter("guard", Guard.class);
      guard.setAsyncSupported(true);
      guard.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {}
  }

  public static final class Plain extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
      response.setHeader("X-Served-By", "plain");
      response.getWriter().print("plain " + request.getServletPath() + " " + request.getPathInfo());
    }
  }

  /** Answers from another thread after the servlet returned: the span must end only then, with that status. */
  public static final class Async extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) {
      AsyncContext async = request.startAsync();
      CompletableFuture.runAsync(() -> {
        try {
          Thread.sleep(200);
          ((HttpServletResponse) async.getResponse()).setStatus(202);
          async.getResponse().getWriter().print("accepted");
        } catch (IOException | InterruptedException e) {
          throw new IllegalStateException(e);
        } finally {
          async.complete();
        }
      });
    }
  }

  /** Goes async, then dispatches back to itself from another thread: the ASYNC dispatch answers 201. */
  public static final class AsyncDispatch extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
      if (request.getDispatcherType() == DispatcherType.ASYNC) {
        response.setStatus(201);
        response.getWriter().print("dispatched");
        return;
      }
      AsyncContext async = request.startAsync();
      CompletableFuture.runAsync(async::dispatch);
    }
  }

  public static final class Fail extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) {
      throw new IllegalStateException("servlet failed");
    }
  }

  /** Forwards to {@code /hello}: the forward dispatch must stay in this request's span. */
  public static final class Forward extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException, ServletException {
      request.getRequestDispatcher("/hello").forward(request, response);
    }
  }

  /** Answers 503 with {@code sendError}: where the app maps an error page, the container's ERROR dispatch runs it. */
  public static final class Unavailable extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
      response.sendError(503, "down for maintenance");
    }
  }

  /** Answers {@code /secure/*} itself with 401 unless the request carries credentials; passes everything else on. */
  public static final class Guard implements Filter {
    @Override
    public void init(FilterConfig config) {}

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
        throws IOException, ServletException {
      HttpServletRequest http = (HttpServletRequest) request;
      if (http.getServletPath().startsWith("/secure") && http.getHeader("Authorization") == null) {
        HttpServletResponse denied = (HttpServletResponse) response;
        denied.setStatus(401);
        denied.setHeader("WWW-Authenticate", "Basic realm=\"shop\"");
        denied.getWriter().print("denied");
        return;
      }
      chain.doFilter(request, response);
    }

    @Override
    public void destroy() {}
  }
}
