package dev.tracelight.injector.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tracelight.injector.tls.CertificateAuthority;
import dev.tracelight.injector.tls.Pem;
import dev.tracelight.injector.tls.ServingIdentity;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TLS modes of serve, each with real handshakes on 127.0.0.1. */
@EnableKubernetesMockClient(crud = true)
class ServeTlsTest {

  KubernetesClient client;

  @TempDir
  Path dir;

  @Test
  void servesCertificateFilesAndPicksUpNewOnesWithoutARestart() throws Exception {
    CertificateAuthority first = CertificateAuthority.generate("first", Duration.ofDays(1), Clock.systemUTC());
    CertificateAuthority second = CertificateAuthority.generate("second", Duration.ofDays(1), Clock.systemUTC());
    Path cert = dir.resolve("tls.crt");
    Path key = dir.resolve("tls.key");
    write(first.issue(List.of("127.0.0.1"), Duration.ofHours(1)), cert, key);
    Path trusted = Files.writeString(dir.resolve("ca.pem"), Pem.encode(first.certificate(), second.certificate()));

    try (ServeCommand.Serving serving = ServeCommand.start(List.of("--port", "0", "--bind", "127.0.0.1",
        "--tls-cert", cert.toString(), "--tls-key", key.toString(), "--reload-interval", "1s",
        "--instrumentation", instrumentation().toString()), quiet())) {
      URI healthz = URI.create("https://127.0.0.1:" + serving.port() + "/healthz");
      assertThat(issuer(healthz, trusted)).isEqualTo("CN=first");

      ServingIdentity next = second.issue(List.of("127.0.0.1"), Duration.ofHours(1));
      write(next, cert, key);

      await().atMost(Duration.ofSeconds(30)).until(() -> issuer(healthz, trusted).equals("CN=second"));
    }
  }

  @Test
  void makesItsOwnCaInTheClusterAndRotatesTheCertificateWithoutDowntime() throws Exception {
    client.admissionRegistration().v1().mutatingWebhookConfigurations().resource(
        new MutatingWebhookConfigurationBuilder().withNewMetadata().withName("tracelight-injector").endMetadata()
            .addNewWebhook().withName("java.tracelight.dev").withNewClientConfig().withNewService()
            .withName("tracelight-injector").withNamespace("tracelight").withPath("/mutate-v1-pod").endService()
            .endClientConfig().withAdmissionReviewVersions("v1").withSideEffects("None").endWebhook().build())
        .create();
    // fabric8's client inside serve finds the mock API server through its standard system properties.
    System.setProperty("kubernetes.master", client.getConfiguration().getMasterUrl());
    System.setProperty("kubernetes.trust.certificates", "true");
    System.setProperty("kubernetes.auth.tryKubeConfig", "false");
    System.setProperty("kubernetes.auth.tryServiceAccount", "false");
    try (ServeCommand.Serving serving = ServeCommand.start(List.of("--port", "0", "--bind", "127.0.0.1",
        "--namespace", "tracelight", "--cert-validity", "9s",
        "--instrumentation", instrumentation().toString()), quiet())) {
      String caBundle = client.admissionRegistration().v1().mutatingWebhookConfigurations()
          .withName("tracelight-injector").get().getWebhooks().get(0).getClientConfig().getCaBundle();
      Path trusted = Files.write(dir.resolve("bundle.pem"), Base64.getDecoder().decode(caBundle));
      URI readyz = URI.create("https://127.0.0.1:" + serving.port() + "/readyz");
      Set<BigInteger> served = new LinkedHashSet<>();
      List<Exception> failures = new ArrayList<>();

      // The certificate is for the Service's names; this client checks the chain against the caBundle, as the
      // API server does, but reaches the server by IP, so it skips the host name check.
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
        try {
          served.add(serial(readyz, trusted, false));
        } catch (Exception e) {
          failures.add(e);
        }
        return served.size() >= 3;
      });

      assertThat(failures).isEmpty();
      assertThat(client.secrets().inNamespace("tracelight").withName("tracelight-injector-tls").get().getData())
          .containsKeys("ca.crt", "ca.key", "tls.crt", "tls.key");
    } finally {
      System.clearProperty("kubernetes.master");
      System.clearProperty("kubernetes.trust.certificates");
      System.clearProperty("kubernetes.auth.tryKubeConfig");
      System.clearProperty("kubernetes.auth.tryServiceAccount");
    }
  }

  private Path instrumentation() throws Exception {
    return Files.writeString(dir.resolve("inst.yaml"), """
        apiVersion: opentelemetry.io/v1alpha1
        kind: Instrumentation
        metadata: {name: i}
        spec: {exporter: {endpoint: "http://otelcol:4318"}}
        """);
  }

  private static void write(ServingIdentity identity, Path cert, Path key) throws Exception {
    Path tmpKey = Files.writeString(key.resolveSibling("key.tmp"), Pem.encode(identity.key()));
    Path tmpCert = Files.writeString(cert.resolveSibling("cert.tmp"), Pem.encodeAll(identity.chain()));
    Files.move(tmpKey, key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.move(tmpCert, cert, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  private static String issuer(URI uri, Path trusted) throws Exception {
    return peer(uri, trusted, true).getIssuerX500Principal().getName();
  }

  private static BigInteger serial(URI uri, Path trusted, boolean checkHost) throws Exception {
    return peer(uri, trusted, checkHost).getSerialNumber();
  }

  /**
   * A fresh TLS context per call, so no session is resumed and the certificate served now is seen. Without the host
   * check, the certificate must still name the webhook's Service, as the API server requires.
   */
  private static X509Certificate peer(URI uri, Path trusted, boolean checkHost) throws Exception {
    HttpsURLConnection connection = (HttpsURLConnection) uri.toURL().openConnection();
    connection.setSSLSocketFactory(AdmissionRoundTripTest.trusting(trusted).getSocketFactory());
    if (!checkHost) {
      connection.setHostnameVerifier((host, session) -> names(session).contains("tracelight-injector.tracelight.svc"));
    }
    try {
      assertThat(connection.getResponseCode()).isEqualTo(200);
      return (X509Certificate) connection.getServerCertificates()[0];
    } finally {
      connection.disconnect();
    }
  }

  private static List<String> names(SSLSession session) {
    try {
      return ((X509Certificate) session.getPeerCertificates()[0]).getSubjectAlternativeNames().stream()
          .map(n -> String.valueOf(n.get(1))).toList();
    } catch (Exception e) {
      return List.of();
    }
  }

  private static PrintStream quiet() {
    return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
  }
}
