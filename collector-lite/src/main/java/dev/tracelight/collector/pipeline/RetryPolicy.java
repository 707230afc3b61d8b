package dev.tracelight.collector.pipeline;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * {@code retry_on_failure}: exponential back-off with jitter, as the collector's exporterhelper does it. A server's own
 * hint (Retry-After, RetryInfo) is honoured: the wait is at least that long.
 *
 * @param maxElapsedTime give up once this much time has passed since the first attempt; zero retries for ever
 */
public record RetryPolicy(
    boolean enabled,
    Duration initialInterval,
    Duration maxInterval,
    Duration maxElapsedTime,
    double multiplier,
    double randomizationFactor) {

  public static RetryPolicy defaults() {
    return new RetryPolicy(true, Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(5), 1.5, 0.5);
  }

  /**
   * The wait before the next attempt, or {@code null} to give up.
   *
   * @param retries attempts already retried (0 after the first failure)
   * @param elapsed time since the first attempt
   * @param hint the server's requested delay, or null
   * @param random a value in [0, 1)
   */
  public Duration nextDelay(int retries, Duration elapsed, Duration hint, DoubleSupplier random) {
    if (!enabled) {
      return null;
    }
    double base = initialInterval.toNanos() * Math.pow(multiplier, retries);
    base = Math.min(base, maxInterval.toNanos());
    double jitter = randomizationFactor * base;
    long nanos = (long) (base - jitter + random.getAsDouble() * 2 * jitter);
    Duration delay = Duration.ofNanos(Math.max(0, nanos));
    if (hint != null && hint.compareTo(delay) > 0) {
      delay = hint;
    }
    if (!maxElapsedTime.isZero() && elapsed.plus(delay).compareTo(maxElapsedTime) > 0) {
      return null;
    }
    return delay;
  }
}
