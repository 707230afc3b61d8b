package dev.tracelight.injector.manifest;

/** A manifest or Instrumentation file that cannot be used; the message names the file, the place and the fix. */
public final class ManifestException extends RuntimeException {

  public ManifestException(String message) {
    super(message);
  }

  public ManifestException(String message, Throwable cause) {
    super(message, cause);
  }
}
