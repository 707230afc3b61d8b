package dev.tracelight.collector.config;

import java.net.InetSocketAddress;

/** {@code host:port} as the collector's endpoints write it; an empty host means every interface. */
public record HostPort(String host, int port) {

  /** Null if the text has no valid {@code host:port} shape. */
  static HostPort parse(String text) {
    int colon = text.lastIndexOf(':');
    if (colon < 0) {
      return null;
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      return null; // an IPv6 literal must be bracketed
    }
    try {
      int port = Integer.parseInt(text.substring(colon + 1));
      return port < 0 || port > 65535 ? null : new HostPort(host, port);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  public InetSocketAddress toSocketAddress() {
    return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
  }

  public boolean isLoopback() {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
