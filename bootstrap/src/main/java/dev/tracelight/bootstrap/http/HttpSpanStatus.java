package dev.tracelight.bootstrap.http;

/**
 * Span status and {@code error.type} per the HTTP semantic conventions: 5xx is an error on both sides, 4xx only on
 * the client (the server answered correctly, the caller asked wrongly), and any exception is an error.
 */
public final class HttpSpanStatus {
  private HttpSpanStatus() {}

  public static boolean isError(boolean server, int statusCode, Throwable error) {
    if (error != null) {
      return true;
    }
    if (statusCode >= 500) {
      return true;
    }
    return !server && statusCode >= 400;
  }

  /** The exception's class name, else the status code when it is an error, else null (attribute not set). */
  public static String errorType(boolean server, int statusCode, Throwable error) {
    if (error != null) {
      return error.getClass().getName();
    }
    return isError(server, statusCode, null) && statusCode > 0 ? Integer.toString(statusCode) : null;
  }
}
