package dev.tracelight.agent.export;

import java.io.IOException;
import java.net.Socket;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/** TLS over a connected socket, as both senders open it: the host's name checked, the configured protocols. */
public final class TlsSockets {
  private TlsSockets() {}

  /**
   * Layers TLS over {@code plain} and shakes hands within {@code timeoutMillis}. {@code sslContext} null means the
   * JDK's default; {@code tlsProtocols} null or empty, the context's; {@code applicationProtocols}, what ALPN offers
   * (none: no ALPN).
   */
  public static SSLSocket handshake(Socket plain, String host, int port, SSLContext sslContext,
      List<String> tlsProtocols, int timeoutMillis, String... applicationProtocols) throws IOException {
    SSLContext context = sslContext;
    if (context == null) {
      try {
        context = SSLContext.getDefault();
      } catch (NoSuchAlgorithmException e) {
        throw new SSLException("no default TLS context", e);
      }
    }
    SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true);
    SSLParameters parameters = tls.getSSLParameters();
    if (applicationProtocols.length > 0) {
      parameters.setApplicationProtocols(applicationProtocols);
    }
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    if (tlsProtocols != null && !tlsProtocols.isEmpty()) {
      parameters.setProtocols(tlsProtocols.toArray(new String[0]));
    }
    tls.setSSLParameters(parameters);
    tls.setSoTimeout(timeoutMillis);
    tls.startHandshake();
    return tls;
  }
}
