package dev.tracelight.injector.tls;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Logger;

/**
 * TLS without cert-manager: the CA and serving certificate for {@code <service>.<namespace>.svc} live in a Secret that
 * every replica shares; the first replica creates them, the others reuse them. The CA goes into the caBundle of the
 * MutatingWebhookConfiguration. Called periodically, it renews the serving certificate when a third of its life is
 * left, and the CA likewise; after a CA renewal the caBundle holds the new and the previous CA until the previous one
 * expires, so replicas still serving the old certificate stay trusted while they pick up the new one.
 */
public final class WebhookCertificates {

  static final String CA_CERT = "ca.crt";
  static final String CA_KEY = "ca.key";
  static final String TLS_CERT = "tls.crt";
  static final String TLS_KEY = "tls.key";
  private static final Logger LOG = Logger.getLogger(WebhookCertificates.class.getName());

  private final KubernetesClient client;
  private final String namespace;
  private final String secretName;
  private final String webhookConfiguration;
  private final String service;
  private final Duration validity;
  private final Clock clock;

  private WebhookCertificates(Builder builder) {
    this.client = Objects.requireNonNull(builder.client);
    this.namespace = Objects.requireNonNull(builder.namespace);
    this.service = Objects.requireNonNull(builder.service);
    this.secretName = builder.secretName != null ? builder.secretName : service + "-tls";
    this.webhookConfiguration = builder.webhookConfiguration != null ? builder.webhookConfiguration : service;
    this.validity = builder.validity;
    this.clock = builder.clock;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The names the API server uses to reach the Service. */
  public List<String> dnsNames() {
    return List.of(service, service + "." + namespace, service + "." + namespace + ".svc",
        service + "." + namespace + ".svc.cluster.local");
  }

  /** How often {@link #reconcile()} should run so that renewal happens well before expiry. */
  public Duration checkInterval() {
    Duration tenth = validity.dividedBy(10);
    return tenth.compareTo(Duration.ofHours(1)) < 0 ? tenth : Duration.ofHours(1);
  }

  /**
   * Makes the Secret and the caBundle current and returns the identity to serve. Another replica's write wins a
   * race: its Secret is read back and used.
   */
  public ServingIdentity reconcile() {
    for (int attempt = 0; ; attempt++) {
      Secret secret = client.secrets().inNamespace(namespace).withName(secretName).get();
      Stored stored = parse(secret);
      Stored wanted = renew(stored);
      if (wanted != stored) {
        try {
          write(secret, wanted);
        } catch (KubernetesClientException e) {
          if (e.getCode() == 409 && attempt < 3) {
            continue;  // another replica wrote first: use what it wrote
          }
          throw e;
        }
      }
      patchCaBundle(wanted.bundle());
      return wanted.serving();
    }
  }

  private Stored renew(Stored stored) {
    Instant now = clock.instant();
    Duration caValidity = validity.multipliedBy(10);
    if (stored == null || expiresSoon(stored.ca().certificate(), caValidity, now)) {
      CertificateAuthority ca = CertificateAuthority.generate(service + "." + namespace + ".svc CA", caValidity,
          clock);
      List<X509Certificate> bundle = new ArrayList<>();
      bundle.add(ca.certificate());
      if (stored != null && stored.ca().certificate().getNotAfter().toInstant().isAfter(now)) {
        bundle.add(stored.ca().certificate());
      }
      LOG.info("tracelight: " + (stored == null ? "created" : "renewed") + " the webhook CA in Secret " + namespace
          + "/" + secretName);
      return new Stored(ca, bundle, ca.issue(dnsNames(), validity));
    }
    X509Certificate leaf = stored.serving().leaf();
    if (expiresSoon(leaf, validity, now) || !sans(leaf).containsAll(dnsNames())
        || !leaf.getIssuerX500Principal().equals(stored.ca().certificate().getSubjectX500Principal())) {
      List<X509Certificate> bundle = stored.bundle().stream()
          .filter(c -> c.getNotAfter().toInstant().isAfter(now)).toList();
      LOG.info("tracelight: renewed the serving certificate in Secret " + namespace + "/" + secretName);
      return new Stored(stored.ca(), bundle, stored.ca().issue(dnsNames(), validity));
    }
    return stored;
  }

  private static boolean expiresSoon(X509Certificate certificate, Duration lifetime, Instant now) {
    Instant notAfter = certificate.getNotAfter().toInstant();
    Instant notBefore = certificate.getNotBefore().toInstant();
    Duration actual = Duration.between(notBefore, notAfter);
    Duration renewBefore = (actual.compareTo(lifetime) < 0 ? actual : lifetime).dividedBy(3);
    return !now.isBefore(notAfter.minus(renewBefore));
  }

  private Stored parse(Secret secret) {
    if (secret == null || secret.getData() == null) {
      return null;
    }
    try {
      Map<String, String> data = secret.getData();
      List<X509Certificate> bundle = Pem.certificates(decode(data, CA_CERT), secretName + "/" + CA_CERT);
      PrivateKey caKey = Pem.privateKey(decode(data, CA_KEY), secretName + "/" + CA_KEY);
      ServingIdentity serving = new ServingIdentity(Pem.privateKey(decode(data, TLS_KEY), secretName + "/" + TLS_KEY),
          Pem.certificates(decode(data, TLS_CERT), secretName + "/" + TLS_CERT));
      return new Stored(CertificateAuthority.of(bundle.get(0), caKey, clock), bundle, serving);
    } catch (RuntimeException e) {
      LOG.warning("tracelight: Secret " + namespace + "/" + secretName + " cannot be used (" + e.getMessage()
          + "); replacing it");
      return null;
    }
  }

  private void write(Secret existing, Stored stored) {
    Map<String, String> data = new LinkedHashMap<>();
    data.put(CA_CERT, encode(Pem.encodeAll(stored.bundle())));
    data.put(CA_KEY, encode(Pem.encode(stored.ca().key())));
    data.put(TLS_CERT, encode(Pem.encodeAll(stored.serving().chain())));
    data.put(TLS_KEY, encode(Pem.encode(stored.serving().key())));
    if (existing == null) {
      client.secrets().inNamespace(namespace).resource(new SecretBuilder()
          .withNewMetadata().withName(secretName).withNamespace(namespace)
          .addToLabels("app.kubernetes.io/managed-by", "tracelight-injector").endMetadata()
          .withType("kubernetes.io/tls").withData(data).build()).create();
    } else {
      // update() carries the resourceVersion read above: a concurrent write fails with 409 instead of being lost.
      client.secrets().inNamespace(namespace).resource(new SecretBuilder(existing).withData(data).build()).update();
    }
  }

  private void patchCaBundle(List<X509Certificate> bundle) {
    String caBundle = encode(Pem.encodeAll(bundle));
    var resource = client.admissionRegistration().v1().mutatingWebhookConfigurations()
        .withName(webhookConfiguration);
    MutatingWebhookConfiguration configuration = resource.get();
    if (configuration == null) {
      LOG.warning("tracelight: MutatingWebhookConfiguration " + webhookConfiguration + " not found; the API server "
          + "cannot call this webhook until it exists (will retry)");
      return;
    }
    boolean stale = configuration.getWebhooks().stream().filter(this::isOurs)
        .anyMatch(w -> !caBundle.equals(w.getClientConfig().getCaBundle()));
    if (stale) {
      resource.edit(c -> {
        c.getWebhooks().stream().filter(this::isOurs).forEach(w -> w.getClientConfig().setCaBundle(caBundle));
        return c;
      });
      LOG.info("tracelight: updated the caBundle of MutatingWebhookConfiguration " + webhookConfiguration);
    }
  }

  private boolean isOurs(MutatingWebhook webhook) {
    return webhook.getClientConfig() != null && webhook.getClientConfig().getService() != null
        && service.equals(webhook.getClientConfig().getService().getName())
        && namespace.equals(webhook.getClientConfig().getService().getNamespace());
  }

  private static List<String> sans(X509Certificate certificate) {
    try {
      Collection<List<?>> names = certificate.getSubjectAlternativeNames();
      return names == null ? List.of() : names.stream().map(n -> String.valueOf(n.get(1))).toList();
    } catch (CertificateParsingException e) {
      return List.of();
    }
  }

  private static String decode(Map<String, String> data, String key) {
    String value = data.get(key);
    if (value == null) {
      throw new IllegalArgumentException("no " + key);
    }
    return new String(Base64.getDecoder().decode(value), StandardCharsets.US_ASCII);
  }

  private static String encode(String pem) {
    return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
  }

  /** What the Secret holds: the CA, the CAs to trust (current first), the serving certificate. */
  private record Stored(CertificateAuthority ca, List<X509Certificate> bundle, ServingIdentity serving) {
  }

  public static final class Builder {
    private KubernetesClient client;
    private String namespace;
    private String service;
    private String secretName;
    private String webhookConfiguration;
    private Duration validity = Duration.ofDays(365);
    private Clock clock = Clock.systemUTC();

    private Builder() {
    }

    public Builder client(KubernetesClient client) {
      this.client = client;
      return this;
    }

    public Builder namespace(String namespace) {
      this.namespace = namespace;
      return this;
    }

    /** The Service in front of the webhook; the certificate is for its DNS names. */
    public Builder service(String service) {
      this.service = service;
      return this;
    }

    /** Default: {@code <service>-tls}. */
    public Builder secretName(String secretName) {
      this.secretName = secretName;
      return this;
    }

    /** Default: the service name. */
    public Builder webhookConfiguration(String webhookConfiguration) {
      this.webhookConfiguration = webhookConfiguration;
      return this;
    }

    /** Lifetime of a serving certificate (the CA lives ten times longer). */
    public Builder validity(Duration validity) {
      this.validity = validity;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public WebhookCertificates build() {
      return new WebhookCertificates(this);
    }
  }
}
