package dev.tracelight.injector.cli;

import dev.tracelight.injector.cluster.ClusterAdmissionContext;
import dev.tracelight.injector.instrumentation.Instrumentation;
import dev.tracelight.injector.instrumentation.InstrumentationCatalog;
import dev.tracelight.injector.instrumentation.InstrumentationCheck;
import dev.tracelight.injector.manifest.InstrumentationFile;
import dev.tracelight.injector.manifest.ManifestException;
import dev.tracelight.injector.mutation.PodInjection;
import dev.tracelight.injector.tls.CertificateAuthority;
import dev.tracelight.injector.tls.CertificateFiles;
import dev.tracelight.injector.tls.Pem;
import dev.tracelight.injector.tls.ServingIdentity;
import dev.tracelight.injector.tls.ServingKeys;
import dev.tracelight.injector.tls.WebhookCertificates;
import dev.tracelight.injector.webhook.AdmissionContext;
import dev.tracelight.injector.webhook.AdmissionServer;
import dev.tracelight.injector.webhook.PodAdmission;
import dev.tracelight.injector.webhook.StaticAdmissionContext;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * {@code serve}: the admission webhook. TLS comes from files (cert-manager or the user's; reloaded on change), from
 * an in-memory CA ({@code --self-signed}, for local use and tests), or, by default, from a CA this webhook keeps in
 * a Secret and publishes in the caBundle of its MutatingWebhookConfiguration.
 */
final class ServeCommand {

  static final String USAGE = """
      serve [--port 9443] [--instrumentation FILE] [--self-signed [--ca-out FILE] | --tls-cert F --tls-key F]
        The mutating webhook at POST /mutate-v1-pod (HTTPS), with GET /healthz and GET /readyz.
        --instrumentation   use these Instrumentations instead of watching the cluster's
        --self-signed       serve a certificate from an in-memory CA (--ca-out writes the CA, PEM)
        --tls-cert/-key     serve these PEM files (e.g. mounted from cert-manager); reloaded when they change
        (neither)           keep a CA and certificate in Secret <service>-tls and patch the webhook's caBundle
        --service NAME      the webhook's Service (default: tracelight-injector)
        --namespace NS      its namespace (default: $POD_NAMESPACE, else the service account's)
        --webhook-config N  its MutatingWebhookConfiguration (default: the service name)
        --tls-secret NAME   the Secret holding the CA (default: <service>-tls)
        --cert-validity D   serving certificate lifetime, e.g. 8760h, 30d, 90s (default: 365d)
        --bind ADDRESS      address to listen on (default: 0.0.0.0)
      """;
  private static final Logger LOG = Logger.getLogger(ServeCommand.class.getName());
  private static final Path SERVICE_ACCOUNT_NAMESPACE =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

  private ServeCommand() {
  }

  static int run(List<String> args, PrintStream err) {
    Serving serving = start(args, err);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      serving.close();
      stopped.countDown();
    }, "tracelight-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /** A running webhook: its port, and everything to stop. */
  static final class Serving implements AutoCloseable {
    private final List<AutoCloseable> resources = new ArrayList<>();
    private AdmissionServer server;

    int port() {
      return server.port();
    }

    @Override
    public void close() {
      for (int i = resources.size() - 1; i >= 0; i--) {
        try {
          resources.get(i).close();
        } catch (Exception e) {
          LOG.fine("tracelight: while stopping: " + e);
        }
      }
    }
  }

  static Serving start(List<String> args, PrintStream err) {
    Arguments arguments = Arguments.parse("serve", args, List.of("--port", "--instrumentation", "--tls-cert",
        "--tls-key", "--ca-out", "--java-image", "--service", "--namespace", "--webhook-config", "--tls-secret",
        "--cert-validity", "--bind", "--reload-interval"), List.of("--self-signed"));
    int port = arguments.value("--port").map(p -> parsePort(p)).orElse(9443);
    boolean files = arguments.value("--tls-cert").isPresent() || arguments.value("--tls-key").isPresent();
    if (files && (arguments.value("--tls-cert").isEmpty() || arguments.value("--tls-key").isEmpty())) {
      throw new Arguments.UsageException("serve: --tls-cert and --tls-key go together");
    }
    if (files && arguments.flag("--self-signed")) {
      throw new Arguments.UsageException("serve: choose --self-signed or --tls-cert/--tls-key, not both");
    }
    String service = arguments.value("--service").orElse("tracelight-injector");
    Duration validity = arguments.value("--cert-validity").map(ServeCommand::parseDuration)
        .orElse(Duration.ofDays(365));
    Duration reload = arguments.value("--reload-interval").map(ServeCommand::parseDuration)
        .orElse(Duration.ofSeconds(10));

    Serving serving = new Serving();
    try {
      ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "tracelight-tls");
        thread.setDaemon(true);
        return thread;
      });
      serving.resources.add(scheduler::shutdownNow);
      KubernetesClient client = null;
      AdmissionContext context;
      if (arguments.value("--instrumentation").isPresent()) {
        context = StaticAdmissionContext.of(readInstrumentations(arguments.value("--instrumentation").get()));
      } else {
        client = new KubernetesClientBuilder().build();
        serving.resources.add(client);
        ClusterAdmissionContext cluster = ClusterAdmissionContext.start(client, Duration.ofSeconds(1));
        serving.resources.add(cluster);
        context = cluster;
      }

      ServingKeys keys;
      if (files) {
        CertificateFiles certificateFiles = CertificateFiles.of(Path.of(arguments.value("--tls-cert").get()),
            Path.of(arguments.value("--tls-key").get()));
        keys = ServingKeys.create(certificateFiles.load());
        scheduler.scheduleWithFixedDelay(() -> certificateFiles.reloadIfChanged(keys), reload.toMillis(),
            reload.toMillis(), TimeUnit.MILLISECONDS);
      } else if (arguments.flag("--self-signed")) {
        CertificateAuthority ca = CertificateAuthority.generate("tracelight-injector self-signed CA",
            validity.multipliedBy(10), Clock.systemUTC());
        List<String> names = new ArrayList<>(List.of("localhost", "127.0.0.1", "::1"));
        names.add(service);
        ServingIdentity identity = ca.issue(names, validity);
        keys = ServingKeys.create(identity);
        if (arguments.value("--ca-out").isPresent()) {
          Files.writeString(Path.of(arguments.value("--ca-out").get()), Pem.encode(ca.certificate()));
        }
      } else {
        if (client == null) {
          client = new KubernetesClientBuilder().build();
          serving.resources.add(client);
        }
        WebhookCertificates certificates = WebhookCertificates.builder().client(client)
            .namespace(arguments.value("--namespace").orElseGet(ServeCommand::ownNamespace))
            .service(service)
            .secretName(arguments.value("--tls-secret").orElse(null))
            .webhookConfiguration(arguments.value("--webhook-config").orElse(null))
            .validity(validity)
            .build();
        keys = ServingKeys.create(certificates.reconcile());
        long every = certificates.checkInterval().toMillis();
        scheduler.scheduleWithFixedDelay(() -> {
          try {
            if (keys.update(certificates.reconcile())) {
              LOG.info("tracelight: serving the renewed certificate, valid until " + keys.current().notAfter());
            }
          } catch (RuntimeException e) {
            LOG.warning("tracelight: certificate check failed (" + e.getMessage() + "); serving the current one "
                + "until " + keys.current().notAfter() + " and trying again");
          }
        }, every, every, TimeUnit.MILLISECONDS);
      }

      PodInjection injection = PodInjection.create(arguments.value("--java-image").orElse(Main.DEFAULT_JAVA_IMAGE));
      AdmissionContext admissionContext = context;
      serving.server = AdmissionServer.start(
          new InetSocketAddress(arguments.value("--bind").orElse("0.0.0.0"), port), keys,
          PodAdmission.create(injection, admissionContext), admissionContext::ready);
      serving.resources.add(serving.server);
      err.println("tracelight injector-webhook listening on https://" + arguments.value("--bind").orElse("0.0.0.0")
          + ":" + serving.port() + AdmissionServer.MUTATE_PATH);
      err.flush();
      return serving;
    } catch (IOException e) {
      serving.close();
      throw new ManifestException("serve: cannot start: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      serving.close();
      throw e;
    }
  }

  private static InstrumentationCatalog readInstrumentations(String path) {
    String text;
    try {
      text = Files.readString(Path.of(path));
    } catch (IOException e) {
      throw new ManifestException(path + ": cannot be read (" + e.getMessage() + ")", e);
    }
    List<Instrumentation> instrumentations = InstrumentationFile.read(path, text);
    List<String> problems = new ArrayList<>();
    instrumentations.forEach(i -> problems.addAll(InstrumentationCheck.problems(i)));
    if (!problems.isEmpty()) {
      throw new ManifestException(path + ": " + String.join("; ", problems));
    }
    return InstrumentationCatalog.of(instrumentations);
  }

  private static String ownNamespace() {
    String fromEnv = System.getenv("POD_NAMESPACE");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv;
    }
    try {
      return Files.readString(SERVICE_ACCOUNT_NAMESPACE).trim();
    } catch (IOException e) {
      throw new Arguments.UsageException("serve: --namespace is needed outside a pod (no $POD_NAMESPACE, no "
          + SERVICE_ACCOUNT_NAMESPACE + ")");
    }
  }

  private static int parsePort(String value) {
    try {
      int port = Integer.parseInt(value);
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new Arguments.UsageException("serve: --port " + value + ": expected a number from 0 to 65535");
  }

  /** "90s", "15m", "8760h", "30d", or an ISO-8601 duration ("PT1H"). */
  static Duration parseDuration(String value) {
    try {
      if (value.startsWith("P") || value.startsWith("p")) {
        return Duration.parse(value);
      }
      long amount = Long.parseLong(value.substring(0, value.length() - 1));
      return switch (value.charAt(value.length() - 1)) {
        case 's' -> Duration.ofSeconds(amount);
        case 'm' -> Duration.ofMinutes(amount);
        case 'h' -> Duration.ofHours(amount);
        case 'd' -> Duration.ofDays(amount);
        default -> throw new NumberFormatException();
      };
    } catch (RuntimeException e) {
      throw new Arguments.UsageException("serve: \"" + value + "\" is not a duration (e.g. 90s, 15m, 8760h, 30d)");
    }
  }
}
