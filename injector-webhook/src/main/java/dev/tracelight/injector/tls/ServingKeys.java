package dev.tracelight.injector.tls;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The certificate the server presents, replaceable at any time: every new TLS handshake reads the current one, so a
 * rotated or reloaded certificate takes effect without a restart and without dropping connections.
 */
public final class ServingKeys {

  private static final String ALIAS = "serving";

  private final AtomicReference<ServingIdentity> current;
  private final SSLContext sslContext;

  private ServingKeys(ServingIdentity initial) throws GeneralSecurityException {
    this.current = new AtomicReference<>(initial);
    this.sslContext = SSLContext.getInstance("TLS");
    sslContext.init(new KeyManager[] {new CurrentKeyManager()}, null, null);
  }

  public static ServingKeys create(ServingIdentity initial) {
    try {
      return new ServingKeys(initial);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot create a TLS context", e);
    }
  }

  public SSLContext sslContext() {
    return sslContext;
  }

  public ServingIdentity current() {
    return current.get();
  }

  /** Serves the given identity from the next handshake on; returns true when it differs from the current one. */
  public boolean update(ServingIdentity identity) {
    ServingIdentity previous = current.getAndSet(identity);
    return !previous.chain().equals(identity.chain());
  }

  private final class CurrentKeyManager extends X509ExtendedKeyManager {

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return matches(keyType) ? ALIAS : null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
      return matches(keyType) ? ALIAS : null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return ALIAS.equals(alias) ? current.get().chain().toArray(X509Certificate[]::new) : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return ALIAS.equals(alias) ? current.get().key() : null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return matches(keyType) ? new String[] {ALIAS} : null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return null;
    }

    /** JSSE asks per signature scheme; offering an EC key for an RSA scheme would fail the handshake. */
    private boolean matches(String keyType) {
      String algorithm = current.get().key().getAlgorithm();
      return keyType.equals(algorithm) || keyType.equals("RSASSA-PSS") && algorithm.equals("RSA")
          || keyType.startsWith(algorithm + "_");
    }
  }
}
