package dev.tracelight.collector.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracelight.collector.config.OtlpReceiverConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class CorsTest {
  private final Cors cors = Cors.create(new OtlpReceiverConfig.Cors(
      List.of("https://*.example.com", "http://localhost:3000"), List.of("X-Tenant"), 7200));

  @Test
  void matchesOriginsWithWildcards() {
    assertThat(cors.allows("https://shop.example.com")).isTrue();
    assertThat(cors.allows("https://a.b.example.com")).isTrue();
    assertThat(cors.allows("http://shop.example.com")).isFalse();
    assertThat(cors.allows("https://example.com.evil.test")).isFalse();
    assertThat(cors.allows("http://localhost:3000")).isTrue();
    assertThat(cors.allows("http://localhost:3001")).isFalse();
    assertThat(cors.allows(null)).isFalse();
  }

  @Test
  void preflightAllowsListedAndSafeHeadersOnly() {
    assertThat(cors.preflight("https://shop.example.com", "POST", "Content-Type, X-Tenant"))
        .containsEntry("Access-Control-Allow-Origin", "https://shop.example.com")
        .containsEntry("Access-Control-Allow-Methods", "POST")
        .containsEntry("Access-Control-Allow-Headers", "content-type, x-tenant")
        .containsEntry("Access-Control-Max-Age", "7200");
    assertThat(cors.preflight("https://shop.example.com", "POST", "Authorization")).isNull();
    assertThat(cors.preflight("https://shop.example.com", "DELETE", null)).isNull();
    assertThat(cors.preflight("https://other.test", "POST", null)).isNull();
  }

  @Test
  void aStarInAllowedHeadersAllowsAny() {
    Cors any = Cors.create(new OtlpReceiverConfig.Cors(List.of("*"), List.of("*"), 0));

    assertThat(any.preflight("null", "POST", "Authorization, X-Whatever"))
        .containsEntry("Access-Control-Allow-Headers", "authorization, x-whatever")
        .doesNotContainKey("Access-Control-Max-Age");
    assertThat(Cors.create(new OtlpReceiverConfig.Cors(List.of(), List.of(), 0)).enabled()).isFalse();
  }
}
