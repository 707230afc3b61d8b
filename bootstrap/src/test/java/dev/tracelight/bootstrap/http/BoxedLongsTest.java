package dev.tracelight.bootstrap.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BoxedLongsTest {
  @Test
  void boxesAStatusCodeOnceAndKeepsValuesSharingASlotApart() {
    Long ok = BoxedLongs.of(200);
    assertThat(BoxedLongs.of(200)).isSameAs(ok);
    assertThat(BoxedLongs.of(200 + 256)).isEqualTo(456L);
    assertThat(BoxedLongs.of(200)).isEqualTo(200L);
    assertThat(BoxedLongs.of(-1)).isEqualTo(-1L);
    assertThat(BoxedLongs.of(70_000)).isEqualTo(70_000L);
  }
}
