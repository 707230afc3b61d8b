package dev.tracelight.injector.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Secret and caBundle handling, against fabric8's Kubernetes mock server in CRUD mode. */
@EnableKubernetesMockClient(crud = true)
class WebhookCertificatesTest {

  private static final Duration VALIDITY = Duration.ofDays(30);

  KubernetesMockServer server;
  KubernetesClient client;
  private final MutableClock clock = new MutableClock(Instant.now());

  @BeforeEach
  void installWebhookConfiguration() {
    client.admissionRegistration().v1().mutatingWebhookConfigurations().resource(webhookConfiguration()).create();
  }

  @Test
  void createsTheSecretAndPatchesTheCaBundleOfItsOwnWebhooksOnly() throws Exception {
    ServingIdentity identity = certificates().reconcile();

    Secret secret = client.secrets().inNamespace("tracelight").withName("tracelight-injector-tls").get();
    assertThat(secret.getType()).isEqualTo("kubernetes.io/tls");
    assertThat(secret.getData()).containsOnlyKeys("ca.crt", "ca.key", "tls.crt", "tls.key");
    X509Certificate ca = bundle(secret).get(0);
    identity.leaf().verify(ca.getPublicKey());
    assertThat(identity.leaf().getSubjectAlternativeNames()).extracting(n -> (Object) n.get(1)).containsExactly(
        "tracelight-injector", "tracelight-injector.tracelight", "tracelight-injector.tracelight.svc",
        "tracelight-injector.tracelight.svc.cluster.local");
    MutatingWebhookConfiguration configuration = client.admissionRegistration().v1().mutatingWebhookConfigurations()
        .withName("tracelight-injector").get();
    assertThat(caBundle(configuration, 0)).isEqualTo(List.of(ca));
    assertThat(configuration.getWebhooks().get(1).getClientConfig().getCaBundle()).isEqualTo("b3RoZXI=");
  }

  @Test
  void aSecondReplicaReusesTheSecret() {
    ServingIdentity first = certificates().reconcile();

    ServingIdentity second = certificates().reconcile();

    assertThat(second.chain()).isEqualTo(first.chain());
    assertThat(second.key()).isEqualTo(first.key());
  }

  @Test
  void renewsTheServingCertificateWithTheSameCaWhenAThirdOfItsLifeIsLeft() throws Exception {
    WebhookCertificates certificates = certificates();
    ServingIdentity first = certificates.reconcile();
    X509Certificate ca = bundle(secret()).get(0);

    clock.advance(VALIDITY.dividedBy(2));
    assertThat(certificates.reconcile().chain()).isEqualTo(first.chain());

    clock.advance(VALIDITY.dividedBy(4));
    ServingIdentity renewed = certificates.reconcile();

    assertThat(renewed.leaf()).isNotEqualTo(first.leaf());
    renewed.leaf().verify(ca.getPublicKey());
    assertThat(renewed.notAfter()).isAfter(first.notAfter());
    assertThat(bundle(secret())).containsExactly(ca);
    assertThat(caBundle(webhookConfiguration("tracelight-injector"), 0)).containsExactly(ca);
  }

  @Test
  void renewsTheCaAndTrustsBothCasUntilTheOldOneExpires() throws Exception {
    WebhookCertificates certificates = certificates();
    certificates.reconcile();
    X509Certificate oldCa = bundle(secret()).get(0);

    clock.advance(VALIDITY.multipliedBy(7));
    ServingIdentity renewed = certificates.reconcile();

    List<X509Certificate> bundle = bundle(secret());
    assertThat(bundle).hasSize(2).element(1).isEqualTo(oldCa);
    renewed.leaf().verify(bundle.get(0).getPublicKey());
    assertThat(caBundle(webhookConfiguration("tracelight-injector"), 0)).isEqualTo(bundle);
  }

  @Test
  void replacesASecretThatCannotBeUsed() {
    client.secrets().inNamespace("tracelight").resource(new SecretBuilder().withNewMetadata()
        .withName("tracelight-injector-tls").withNamespace("tracelight").endMetadata()
        .withData(Map.of("tls.crt", Base64.getEncoder().encodeToString("garbage".getBytes()))).build()).create();

    ServingIdentity identity = certificates().reconcile();

    assertThat(secret().getData()).containsKeys("ca.crt", "ca.key");
    assertThat(secret().getData().get("tls.crt")).isEqualTo(Base64.getEncoder().encodeToString(
        Pem.encodeAll(identity.chain()).getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void restoresACaBundleThatWasReset() throws Exception {
    WebhookCertificates certificates = certificates();
    certificates.reconcile();
    client.admissionRegistration().v1().mutatingWebhookConfigurations().withName("tracelight-injector").edit(c -> {
      c.getWebhooks().get(0).getClientConfig().setCaBundle(null);
      return c;
    });

    certificates.reconcile();

    assertThat(caBundle(webhookConfiguration("tracelight-injector"), 0)).isEqualTo(bundle(secret()));
  }

  private WebhookCertificates certificates() {
    return WebhookCertificates.builder().client(client).namespace("tracelight").service("tracelight-injector")
        .validity(VALIDITY).clock(clock).build();
  }

  private Secret secret() {
    return client.secrets().inNamespace("tracelight").withName("tracelight-injector-tls").get();
  }

  private MutatingWebhookConfiguration webhookConfiguration(String name) {
    return client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(name).get();
  }

  private static List<X509Certificate> bundle(Secret secret) {
    return Pem.certificates(new String(Base64.getDecoder().decode(secret.getData().get("ca.crt")),
        StandardCharsets.US_ASCII), "ca.crt");
  }

  private static List<X509Certificate> caBundle(MutatingWebhookConfiguration configuration, int webhook) {
    return Pem.certificates(new String(Base64.getDecoder().decode(configuration.getWebhooks().get(webhook)
        .getClientConfig().getCaBundle()), StandardCharsets.US_ASCII), "caBundle");
  }

  private static MutatingWebhookConfiguration webhookConfiguration() {
    return new MutatingWebhookConfigurationBuilder()
        .withNewMetadata().withName("tracelight-injector").endMetadata()
        .addNewWebhook().withName("java.tracelight.dev").withNewClientConfig().withNewService()
          .withName("tracelight-injector").withNamespace("tracelight").withPath("/mutate-v1-pod").endService()
          .endClientConfig().withAdmissionReviewVersions("v1").withSideEffects("None").endWebhook()
        .addNewWebhook().withName("other.example.com").withNewClientConfig().withCaBundle("b3RoZXI=").withNewService()
          .withName("other").withNamespace("elsewhere").endService()
          .endClientConfig().withAdmissionReviewVersions("v1").withSideEffects("None").endWebhook()
        .build();
  }
}
