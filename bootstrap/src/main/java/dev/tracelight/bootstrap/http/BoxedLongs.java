package dev.tracelight.bootstrap.http;

/**
 * Status codes and ports as the {@code Long}s a span attribute holds, boxed once: {@code Long.valueOf} caches only
 * -128..127, so {@code setAttribute(key, 200)} allocated a Long on every request. A small table indexed by the value;
 * a collision replaces the entry. {@code Long}'s field is final, so racing threads at worst box a value twice.
 */
final class BoxedLongs {
  private static final int SIZE = 256;
  private static final Long[] VALUES = new Long[SIZE];

  private BoxedLongs() {}

  static Long of(long value) {
    if (value < 0 || value > 65_535) {
      return value;
    }
    int slot = (int) (value & (SIZE - 1));
    Long boxed = VALUES[slot];
    if (boxed == null || boxed != value) {
      boxed = value;
      VALUES[slot] = boxed;
    }
    return boxed;
  }
}
