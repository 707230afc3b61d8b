package dev.tracelight.agent.export;

import io.opentelemetry.sdk.common.export.RetryPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * The SDK's {@link RetryPolicy} applied to one export, the way the SDK's own senders apply it (JdkHttpSender, OkHttp's
 * retry interceptor): at most {@code getMaxAttempts()} attempts while the outcome is retryable; before each further
 * attempt a pause of the current back-off with ±20 % jitter (or the pause the server asked for), the back-off growing by
 * {@code getBackoffMultiplier()} up to {@code getMaxBackoff()}; never past the export timeout. When attempts or time run
 * out, the last response is returned, or the last failure thrown. Shared by our gRPC and HTTP/1.1 senders.
 */
public final class ExportRetry {
  /** What {@link #run} is told for a response that carries no pause of its own: back off as the policy says. */
  public static final long POLICY_BACKOFF = -1;

  private final RetryPolicy policy;
  private final long timeoutNanos;
  private final Predicate<IOException> retryableException;
  private volatile boolean stopped;

  private ExportRetry(RetryPolicy policy, long timeoutNanos, Predicate<IOException> retryableException) {
    this.policy = policy;
    this.timeoutNanos = timeoutNanos;
    this.retryableException = retryableException;
  }

  /**
   * @param policy the exporter's policy; null means one attempt
   * @param retryableByDefault which I/O failures are worth another attempt when the policy names no predicate
   */
  public static ExportRetry create(RetryPolicy policy, Duration timeout, Predicate<IOException> retryableByDefault) {
    Predicate<IOException> predicate = policy == null ? null : policy.getRetryExceptionPredicate();
    return new ExportRetry(policy, timeout.toNanos(), predicate != null ? predicate : retryableByDefault);
  }

  /**
   * Sends until the outcome is final.
   *
   * @param retryable whether a response asks for another attempt (e.g. HTTP 503, gRPC UNAVAILABLE)
   * @param requestedPauseNanos the pause a retryable response asks for (HTTP {@code Retry-After}), or
   *     {@link #POLICY_BACKOFF}
   */
  public <R> R run(Attempt<R> attempt, Predicate<R> retryable, ToLongFunction<R> requestedPauseNanos)
      throws IOException {
    long start = System.nanoTime();
    int maxAttempts = policy == null ? 1 : policy.getMaxAttempts();
    long nextBackoffNanos = policy == null ? 0 : policy.getInitialBackoff().toNanos();
    long requestedPause = POLICY_BACKOFF;
    R response = null;
    IOException failure = null;
    for (int tries = 0; tries < maxAttempts; tries++) {
      if (tries > 0) {
        long remaining = timeoutNanos - (System.nanoTime() - start);
        if (remaining <= 0 || stopped) {
          break;
        }
        long backoff = Math.min(nextBackoffNanos, policy.getMaxBackoff().toNanos());
        long pause = requestedPause != POLICY_BACKOFF ? requestedPause
            : (long) (ThreadLocalRandom.current().nextDouble(0.8d, 1.2d) * backoff);
        nextBackoffNanos = (long) (backoff * policy.getBackoffMultiplier());
        try {
          TimeUnit.NANOSECONDS.sleep(Math.min(pause, remaining));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
        if (System.nanoTime() - start >= timeoutNanos || stopped) {
          break;
        }
      }
      response = null;
      failure = null;
      try {
        response = attempt.send(start + timeoutNanos);
        if (!retryable.test(response)) {
          return response;
        }
        requestedPause = requestedPauseNanos.applyAsLong(response);
      } catch (IOException e) {
        if (stopped || !retryableException.test(e)) {
          throw e;
        }
        failure = e;
        requestedPause = POLICY_BACKOFF;
      }
    }
    if (response != null) {
      return response;
    }
    throw failure;
  }

  /** No further attempts: the sender is shut down. An attempt in flight finishes or fails on its own. */
  public void stop() {
    stopped = true;
  }

  /** Whether {@link #stop} was called: the sender then opens no connection either. */
  public boolean stopped() {
    return stopped;
  }

  /** One try of the export, to be complete by {@code deadlineNanos} ({@link System#nanoTime()}). */
  @FunctionalInterface
  public interface Attempt<R> {
    R send(long deadlineNanos) throws IOException;
  }
}
