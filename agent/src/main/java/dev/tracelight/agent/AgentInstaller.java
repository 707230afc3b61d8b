package dev.tracelight.agent;

import dev.tracelight.agent.sdk.AgentSdk;
import dev.tracelight.bootstrap.AgentLog;
import dev.tracelight.bootstrap.Tracing;
import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.internal.DefaultConfigProperties;
import java.io.File;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;

/** Starts the agent inside the agent class loader: the SDK, and the instrumentation that feeds it. */
public final class AgentInstaller {
  /** Tests only: holds the SDK build back this long, to show what the application's early telemetry meets. */
  static final String TEST_SDK_BUILD_DELAY = "tracelight.testing.sdk-build-delay-ms";

  private AgentInstaller() {}

  /**
   * Called reflectively by the premain class. Never throws: a broken agent must leave a working application.
   *
   * <p>Premain weaves, then hands the SDK's build to a thread of its own and returns: the build (~40 % of premain when
   * it ran there, issue 9) overlaps the application's own start, and {@link Tracing} holds the application's first
   * telemetry until the SDK is there. The build starts only once weaving is set up, so that ByteBuddy's first use is
   * on one thread (its static initialisers form cycles that deadlock when two threads enter them, byte-buddy#1347).
   * The switches weaving needs ({@code otel.sdk.disabled}, {@code otel.instrumentation.*}) are read here from the
   * same system properties and environment, by the same rules, as the SDK's autoconfigure reads them.
   */
  public static void install(Instrumentation instrumentation, File agentJar) {
    try {
      long start = System.nanoTime();
      ClassLoader agentLoader = AgentInstaller.class.getClassLoader();
      ConfigProperties config = DefaultConfigProperties.create(Map.of(), ComponentLoader.forClassLoader(agentLoader));
      if (config.getBoolean("otel.sdk.disabled", false)) {
        AgentLog.info("OTEL_SDK_DISABLED=true: no telemetry, so no instrumentation either");
        return;
      }
      String version = versionOf(agentJar);
      boolean defaultEnabled = config.getBoolean("otel.instrumentation.common.default-enabled", true);
      List<String> installed = InstrumentationInstaller.create(instrumentation, agentLoader).install(
          InstrumentationInstaller.discover(agentLoader),
          name -> config.getBoolean("otel.instrumentation." + name + ".enabled", defaultEnabled));
      long woven = System.nanoTime();
      Thread sdkBuilder = new Thread(() -> buildSdk(version, woven), "tracelight-sdk");
      sdkBuilder.setDaemon(true);
      Tracing.expect(sdkBuilder);
      sdkBuilder.start();
      AgentLog.info("tracelight " + version + " started; instrumentation: " + String.join(", ", installed));
      AgentLog.debug("start-up: instrumentation " + (woven - start) / 1_000_000 + " ms");
    } catch (Throwable t) {
      Tracing.settle();
      AgentLog.errorOnce("install", "the agent could not start; the application runs untraced", t);
    }
  }

  private static void buildSdk(String version, long start) {
    try {
      long delay = Long.getLong(TEST_SDK_BUILD_DELAY, 0);
      if (delay > 0) {
        Thread.sleep(delay);
      }
      AgentSdk sdk = AgentSdk.create(version);
      if (sdk != null) { // else the reason has been logged; the application runs untraced
        Tracing.install(sdk.openTelemetry(), version);
        AgentLog.debug("start-up: SDK " + (System.nanoTime() - start) / 1_000_000 + " ms, beside the application");
      }
    } catch (Throwable t) {
      AgentLog.errorOnce("sdk", "the OpenTelemetry SDK could not be built; the application runs untraced", t);
    } finally {
      Tracing.settle();
    }
  }

  private static String versionOf(File agentJar) {
    try (JarFile jar = new JarFile(agentJar, false)) {
      String version = jar.getManifest().getMainAttributes().getValue("Implementation-Version");
      return version == null ? "unknown" : version;
    } catch (IOException e) {
      return "unknown";
    }
  }
}
