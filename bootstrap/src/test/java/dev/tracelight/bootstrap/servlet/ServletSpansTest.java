package dev.tracelight.bootstrap.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServletSpansTest {
  @Test
  void exactAndPathMappingsAreTheRouteAfterTheContextPath() {
    assertThat(ServletSpans.mappedRoute("", "EXACT", "/hello", "/hello")).isEqualTo("/hello");
    assertThat(ServletSpans.mappedRoute("/shop", "EXACT", "/hello", "/hello")).isEqualTo("/shop/hello");
    assertThat(ServletSpans.mappedRoute("", "PATH", "/api/*", "/api")).isEqualTo("/api/*");
    assertThat(ServletSpans.mappedRoute("/shop", "PATH", "/api/*", "/api")).isEqualTo("/shop/api/*");
    assertThat(ServletSpans.mappedRoute(null, "PATH", "/api/*", "/api")).isEqualTo("/api/*");
  }

  @Test
  void extensionMappingsBecomeAPathPatternButJspsKeepTheirPage() {
    assertThat(ServletSpans.mappedRoute("", "EXTENSION", "*.do", "/orders/list.do")).isEqualTo("/*.do");
    assertThat(ServletSpans.mappedRoute("/shop", "EXTENSION", "*.do", "/list.do")).isEqualTo("/shop/*.do");
    assertThat(ServletSpans.mappedRoute("/shop", "EXTENSION", "*.jsp", "/views/cart.jsp"))
        .isEqualTo("/shop/views/cart.jsp");
  }

  @Test
  void contextRootIsSlashAndCatchAllMappingsNameNoRoute() {
    assertThat(ServletSpans.mappedRoute("", "CONTEXT_ROOT", "", "")).isEqualTo("/");
    assertThat(ServletSpans.mappedRoute("/shop", "CONTEXT_ROOT", "", "")).isEqualTo("/shop/");
    assertThat(ServletSpans.mappedRoute("", "DEFAULT", "/", "/anything")).isNull();
    assertThat(ServletSpans.mappedRoute("", "PATH", "/*", "")).isNull();
    assertThat(ServletSpans.mappedRoute("", null, "", "/x")).as("a container that does not tell").isNull();
  }

  @Test
  void servletMappingIsLookedUpOnlyWhereTheRequestClassHasIt() {
    assertThat(ServletSpans.hasServletMapping(Servlet4Request.class)).isTrue();
    assertThat(ServletSpans.hasServletMapping(Servlet3Request.class)).isFalse();
  }

  @Test
  void springPatternsGetTheContextPathAndThePrefixOfAPathMappedServlet() {
    assertThat(ServletSpans.route("", "", "/users/42", "/users/{id}")).isEqualTo("/users/{id}");
    assertThat(ServletSpans.route("/shop", "/api", "/users/42", "/users/{id}")).isEqualTo("/shop/api/users/{id}");
    assertThat(ServletSpans.route("/shop", "/users/42", null, "/users/{id}")).isEqualTo("/shop/users/{id}");
  }

  /** Stands for a container's request class: only the method's presence matters. */
  public static class Servlet4Request {
    public Object getHttpServletMapping() {
      return null;
    }
  }

  public static class Servlet3Request {}
}
