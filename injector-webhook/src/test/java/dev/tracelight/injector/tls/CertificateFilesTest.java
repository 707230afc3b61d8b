package dev.tracelight.injector.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateFilesTest {

  private final CertificateAuthority ca = CertificateAuthority.generate("ca", Duration.ofDays(1), Clock.systemUTC());

  @TempDir
  Path dir;

  @Test
  void keepsTheCurrentCertificateWhileTheFilesAreBrokenAndTakesTheNextGoodPair() throws Exception {
    Path cert = dir.resolve("tls.crt");
    Path key = dir.resolve("tls.key");
    ServingIdentity first = write(cert, key);
    CertificateFiles files = CertificateFiles.of(cert, key);
    ServingKeys keys = ServingKeys.create(files.load());

    Files.writeString(key, "-----BEGIN PRIVATE KEY-----\nbroken\n-----END PRIVATE KEY-----\n");
    files.reloadIfChanged(keys);
    assertThat(keys.current().chain()).isEqualTo(first.chain());

    ServingIdentity second = write(cert, key);
    files.reloadIfChanged(keys);
    assertThat(keys.current().chain()).isEqualTo(second.chain());
    assertThat(keys.current().key()).isEqualTo(second.key());
  }

  @Test
  void readsRsaKeysInPkcs1AsCertManagerWritesThem() throws Exception {
    Path key = dir.resolve("rsa.key");
    java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    java.security.KeyPair pair = generator.generateKeyPair();
    // JcaPEMWriter writes a KeyPair as "BEGIN RSA PRIVATE KEY" (PKCS#1).
    Files.writeString(key, Pem.encode(pair));

    assertThat(Files.readString(key)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    assertThat(Pem.privateKey(Files.readString(key), key.toString())).isEqualTo(pair.getPrivate());
  }

  @Test
  void namesTheFileThatHoldsNoCertificate() throws Exception {
    Path cert = Files.writeString(dir.resolve("tls.crt"), "hello\n");
    Path key = Files.writeString(dir.resolve("tls.key"), Pem.encode(ca.key()));

    assertThatThrownBy(() -> CertificateFiles.of(cert, key).load())
        .hasMessage(cert + ": no \"BEGIN CERTIFICATE\" block");
  }

  private ServingIdentity write(Path cert, Path key) throws Exception {
    ServingIdentity identity = ca.issue(List.of("localhost"), Duration.ofHours(1));
    Files.writeString(key, Pem.encode(identity.key()));
    Files.writeString(cert, Pem.encodeAll(identity.chain()));
    return identity;
  }
}
