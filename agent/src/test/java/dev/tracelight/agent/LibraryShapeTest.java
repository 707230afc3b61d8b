package dev.tracelight.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

class LibraryShapeTest {
  private final ClassLoader appLoader = LibraryShapeTest.class.getClassLoader();

  @Test
  void matchesWhenEveryTypeAndMethodIsThere() {
    LibraryShape shape = LibraryShape.builder()
        .type("java.net.http.HttpClient")
        .method("com.sun.net.httpserver.Filter$Chain", "doFilter", 1)
        .method("java.lang.String", "<init>", 1)
        .build();
    assertThat(shape.matches(appLoader)).isTrue();
    assertThat(shape.firstMissing(appLoader)).isNull();
  }

  @Test
  void namesTheFirstMissingPieceWhenTheLibraryHasAnotherShape() {
    LibraryShape shape = LibraryShape.builder()
        .method("java.lang.String", "length", 0)
        .method("java.lang.String", "length", 2)
        .build();
    assertThat(shape.matches(appLoader)).isFalse();
    assertThat(shape.firstMissing(appLoader)).isEqualTo("java.lang.String#length(2 parameters)");
  }

  @Test
  void doesNotMatchWhereTheLibraryIsAbsent() {
    LibraryShape shape = LibraryShape.builder().type("org.example.absent.Library").build();
    try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
      assertThat(shape.matches(empty)).isFalse();
      assertThat(shape.firstMissing(empty)).isEqualTo("org.example.absent.Library");
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    assertThat(LibraryShape.ANY.matches(null)).isTrue();
  }
}
