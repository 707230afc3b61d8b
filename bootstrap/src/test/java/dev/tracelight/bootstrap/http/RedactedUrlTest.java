package dev.tracelight.bootstrap.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactedUrlTest {
  @Test
  void replacesUserAndPassword() {
    assertThat(RedactedUrl.of("https://alice:s3cret@example.com:8443/a/b?x=1"))
        .isEqualTo("https://REDACTED:REDACTED@example.com:8443/a/b?x=1");
  }

  @Test
  void replacesAUserWithoutPasswordToo() {
    assertThat(RedactedUrl.of("http://alice@example.com/")).isEqualTo("http://REDACTED:REDACTED@example.com/");
  }

  @Test
  void keepsAnAtSignInThePathOrQuery() {
    assertThat(RedactedUrl.of("http://example.com/users/@me?mail=a@b.c"))
        .isEqualTo("http://example.com/users/@me?mail=a@b.c");
  }

  @Test
  void replacesSignatureQueryValuesAndKeepsTheRest() {
    assertThat(RedactedUrl.of("https://s3.example.com/k?AWSAccessKeyId=AK&Signature=xyz&X-Goog-Signature=q&sig=1&a=2#f"))
        .isEqualTo("https://s3.example.com/k?AWSAccessKeyId=REDACTED&Signature=REDACTED"
            + "&X-Goog-Signature=REDACTED&sig=REDACTED&a=2#f");
  }

  @Test
  void replacesSignatureValuesInAServersQueryString() {
    assertThat(RedactedUrl.query("sig=abc&x=1&Signature=def")).isEqualTo("sig=REDACTED&x=1&Signature=REDACTED");
    assertThat(RedactedUrl.query("q=1")).isEqualTo("q=1");
    assertThat(RedactedUrl.query(null)).isNull();
  }

  @Test
  void leavesPlainUrlsUnchanged() {
    assertThat(RedactedUrl.of("http://127.0.0.1:8080/hello?q=1")).isEqualTo("http://127.0.0.1:8080/hello?q=1");
    assertThat(RedactedUrl.of("http://127.0.0.1:8080")).isEqualTo("http://127.0.0.1:8080");
  }
}
