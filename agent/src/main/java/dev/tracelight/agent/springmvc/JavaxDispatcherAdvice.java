package dev.tracelight.agent.springmvc;

import dev.tracelight.bootstrap.http.HttpServerSpans;
import dev.tracelight.bootstrap.servlet.ServletSpans;
import javax.servlet.http.HttpServletRequest;
import net.bytebuddy.asm.Advice;

/** Inlined into {@code DispatcherServlet} (Spring 5, javax); {@link JakartaDispatcherAdvice} is the jakarta twin. */
@SuppressWarnings("unused")
public final class JavaxDispatcherAdvice {
  private JavaxDispatcherAdvice() {}

  public static final class GetHandler {
    private GetHandler() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.Argument(0) HttpServletRequest request, @Advice.Return Object handler) {
      if (handler != null) {
        Object pattern = request.getAttribute("org.springframework.web.servlet.HandlerMapping.bestMatchingPattern");
        if (pattern instanceof String) {
          HttpServerSpans.updateRoute(ServletSpans.route(request.getContextPath(), request.getServletPath(),
              request.getPathInfo(), (String) pattern));
        }
      }
    }
  }

  public static final class ProcessHandlerException {
    private ProcessHandlerException() {}

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Argument(2) Object handler, @Advice.Argument(3) Exception handled,
        @Advice.Thrown Throwable rethrown) {
      if (rethrown == null && handler != null) {
        HttpServerSpans.recordException(handled);
      }
    }
  }
}
