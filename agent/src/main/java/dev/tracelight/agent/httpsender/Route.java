package dev.tracelight.agent.httpsender;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/** Where a connection goes: the endpoint's host and port, whether TLS, and the HTTP proxy in between, if any. */
final class Route {
  private final String host;
  private final int port;
  private final boolean tls;
  private final InetSocketAddress proxy;

  private Route(String host, int port, boolean tls, InetSocketAddress proxy) {
    this.host = host;
    this.port = port;
    this.tls = tls;
    this.proxy = proxy;
  }

  /**
   * The route to {@code endpoint}: through the first HTTP proxy {@code proxies} selects for it (as the JDK's HttpClient
   * does; other kinds are not used), else direct.
   */
  static Route to(URI endpoint, ProxySelector proxies) {
    String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
    boolean tls = scheme.equals("https");
    String host = endpoint.getHost();
    if (host == null) {
      throw new IllegalArgumentException("OTLP endpoint without a host: " + endpoint);
    }
    if (host.startsWith("[")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = endpoint.getPort() != -1 ? endpoint.getPort() : tls ? 443 : 80;
    return new Route(host, port, tls, proxies == null ? null : httpProxy(proxies.select(endpoint)));
  }

  String host() {
    return host;
  }

  int port() {
    return port;
  }

  boolean tls() {
    return tls;
  }

  /** The HTTP proxy's address, or null for a direct connection. */
  InetSocketAddress proxy() {
    return proxy;
  }

  /** {@code host:port}, with an IPv6 literal in brackets: a CONNECT target. */
  String authorityWithPort() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  private static InetSocketAddress httpProxy(List<Proxy> selected) {
    if (selected == null) {
      return null;
    }
    for (Proxy proxy : selected) {
      if (proxy.type() == Proxy.Type.HTTP && proxy.address() instanceof InetSocketAddress) {
        return (InetSocketAddress) proxy.address();
      }
      if (proxy.type() == Proxy.Type.DIRECT) {
        return null;
      }
    }
    return null;
  }
}
