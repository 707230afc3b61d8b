package dev.tracelight.injector.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.logging.Logger;

/**
 * A certificate and key from files (cert-manager's Secret mounted as a volume, or the user's own), read again when
 * their content changes. Content is compared rather than watched: Kubernetes updates a mounted Secret by swapping a
 * symlink, which file watchers report unreliably.
 */
public final class CertificateFiles {

  private static final Logger LOG = Logger.getLogger(CertificateFiles.class.getName());

  private final Path certificate;
  private final Path key;
  private byte[] lastCertificate = new byte[0];
  private byte[] lastKey = new byte[0];
  /** The broken pair last reported, so that it is logged once, not on every check. */
  private byte[] failedCertificate = new byte[0];
  private byte[] failedKey = new byte[0];

  private CertificateFiles(Path certificate, Path key) {
    this.certificate = certificate;
    this.key = key;
  }

  public static CertificateFiles of(Path certificate, Path key) {
    return new CertificateFiles(certificate, key);
  }

  /** Reads both files; fails with the file name and what is wrong in it. */
  public synchronized ServingIdentity load() {
    byte[] certificateBytes = read(certificate);
    byte[] keyBytes = read(key);
    ServingIdentity identity = new ServingIdentity(
        Pem.privateKey(new String(keyBytes, java.nio.charset.StandardCharsets.US_ASCII), key.toString()),
        Pem.certificates(new String(certificateBytes, java.nio.charset.StandardCharsets.US_ASCII),
            certificate.toString()));
    lastCertificate = certificateBytes;
    lastKey = keyBytes;
    return identity;
  }

  /**
   * Loads the files into the serving keys if they changed since the last load. A half-written or broken pair is
   * logged and skipped: the server keeps serving the previous certificate.
   */
  public synchronized void reloadIfChanged(ServingKeys keys) {
    byte[] certificateBytes = new byte[0];
    byte[] keyBytes = new byte[0];
    try {
      certificateBytes = read(certificate);
      keyBytes = read(key);
      if (Arrays.equals(certificateBytes, lastCertificate) && Arrays.equals(keyBytes, lastKey)
          || Arrays.equals(certificateBytes, failedCertificate) && Arrays.equals(keyBytes, failedKey)) {
        return;
      }
      ServingIdentity identity = load();
      if (keys.update(identity)) {
        LOG.info("tracelight: serving the new certificate from " + certificate + ", valid until "
            + identity.notAfter());
      }
    } catch (RuntimeException e) {
      failedCertificate = certificateBytes;
      failedKey = keyBytes;
      LOG.warning("tracelight: keeping the current certificate: " + e.getMessage());
    }
  }

  private static byte[] read(Path path) {
    try {
      return Files.readAllBytes(path);
    } catch (IOException e) {
      throw new IllegalArgumentException(path + ": cannot be read (" + e.getMessage() + ")", e);
    }
  }
}
