package dev.tracelight.injector.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/** A serving certificate chain (leaf first) and its private key. */
public record ServingIdentity(PrivateKey key, List<X509Certificate> chain) {

  public ServingIdentity {
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("a serving identity needs at least one certificate");
    }
    chain = List.copyOf(chain);
  }

  public X509Certificate leaf() {
    return chain.get(0);
  }

  public Instant notAfter() {
    return leaf().getNotAfter().toInstant();
  }
}
