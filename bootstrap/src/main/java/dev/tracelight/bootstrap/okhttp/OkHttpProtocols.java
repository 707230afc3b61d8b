package dev.tracelight.bootstrap.okhttp;

/** OkHttp's {@code Protocol} names (ALPN ids) as {@code network.protocol.version}. */
public final class OkHttpProtocols {
  private OkHttpProtocols() {}

  public static String version(Object protocol) {
    if (protocol == null) {
      return null;
    }
    switch (protocol.toString()) {
      case "http/1.0":
        return "1.0";
      case "http/1.1":
        return "1.1";
      case "h2":
      case "h2_prior_knowledge":
        return "2";
      case "quic":
      case "h3":
        return "3";
      default:
        return null;
    }
  }
}
