package dev.tracelight.bootstrap.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class HttpSpanStatusTest {
  @Test
  void clientErrorsAreErrorsOnlyForTheClient() {
    assertThat(HttpSpanStatus.isError(true, 404, null)).isFalse();
    assertThat(HttpSpanStatus.errorType(true, 404, null)).isNull();
    assertThat(HttpSpanStatus.isError(false, 404, null)).isTrue();
    assertThat(HttpSpanStatus.errorType(false, 404, null)).isEqualTo("404");
  }

  @Test
  void serverErrorsAreErrorsOnBothSides() {
    assertThat(HttpSpanStatus.isError(true, 503, null)).isTrue();
    assertThat(HttpSpanStatus.errorType(true, 503, null)).isEqualTo("503");
    assertThat(HttpSpanStatus.isError(false, 500, null)).isTrue();
  }

  @Test
  void successAndRedirectsAreNotErrors() {
    assertThat(HttpSpanStatus.isError(false, 200, null)).isFalse();
    assertThat(HttpSpanStatus.isError(false, 302, null)).isFalse();
    assertThat(HttpSpanStatus.errorType(false, 302, null)).isNull();
  }

  @Test
  void anExceptionIsAnErrorNamedByItsClass() {
    assertThat(HttpSpanStatus.isError(false, -1, new IOException("refused"))).isTrue();
    assertThat(HttpSpanStatus.errorType(false, -1, new IOException("refused"))).isEqualTo("java.io.IOException");
  }
}
