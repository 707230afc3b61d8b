package dev.tracelight.agent.export;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Timer;
import java.util.TimerTask;
import java.util.concurrent.TimeUnit;

/**
 * Bounds a blocking socket write by the export's deadline. Socket reads have a timeout; writes have none, so a collector
 * that accepts a connection and stops reading (its receive window full) would hold the export thread, and every export
 * queued behind it, for good. Past the deadline the socket is closed, which fails the write at once.
 */
public final class WriteDeadline implements AutoCloseable {
  /** One daemon thread for every sender, started at the first export that writes. */
  private static Timer timer;

  private final TimerTask closer;
  private volatile boolean expired;

  private WriteDeadline(Socket socket, long deadlineNanos) {
    this.closer = new TimerTask() {
      @Override
      public void run() {
        expired = true;
        try {
          socket.close();
        } catch (IOException ignored) {
          // closing is all there is to do
        }
      }
    };
    long delayMillis = Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    timer().schedule(closer, delayMillis);
  }

  /** Closes {@code socket} at {@code deadlineNanos} unless {@link #close()} comes first. */
  public static WriteDeadline of(Socket socket, long deadlineNanos) {
    return new WriteDeadline(socket, deadlineNanos);
  }

  /**
   * What a failed write means: a timeout with a clear message when the deadline closed the socket, else the failure
   * itself.
   */
  public IOException explain(IOException failure) {
    if (!expired) {
      return failure;
    }
    SocketTimeoutException timeout = new SocketTimeoutException(
        "the collector did not read the request within the export timeout");
    timeout.initCause(failure);
    return timeout;
  }

  @Override
  public void close() {
    closer.cancel();
  }

  private static synchronized Timer timer() {
    if (timer == null) {
      timer = new Timer("tracelight-export-deadline", true);
    }
    return timer;
  }
}
