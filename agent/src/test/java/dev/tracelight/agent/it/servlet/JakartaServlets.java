package dev.tracelight.agent.it.servlet;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** The servlets of {@link TomcatApp} over jakarta.servlet; {@link JakartaServlets} is the same over jakarta. */
public final class JakartaServlets {
  private JakartaServlets() {}

  public static final class Plain extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
      response.setHeader("X-Served-By", "plain");
      response.getWriter().print("plain " + request.getPathInfo());
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
}
