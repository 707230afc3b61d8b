package dev.tracelight.agent;

import dev.tracelight.agent.sdk.AgentSdk;
import dev.tracelight.bootstrap.AgentLog;
import dev.tracelight.bootstrap.Tracing;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import java.io.File;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.jar.JarFile;

/** Starts the agent inside the agent class loader: SDK first, then the instrumentation that feeds it. */
public final class AgentInstaller {
  private AgentInstaller() {}

  /** Called reflectively by the premain class. Never throws: a broken agent must leave a working application. */
  public static void install(Instrumentation instrumentation, File agentJar) {
    try {
      long start = System.nanoTime();
      String version = versionOf(agentJar);
      AgentSdk sdk = AgentSdk.create(version);
      long sdkReady = System.nanoTime();
      if (sdk == null) {
        return; // the reason has been logged; the application runs untraced
      }
      ConfigProperties config = sdk.config();
      if (config.getBoolean("otel.sdk.disabled", false)) {
        AgentLog.info("OTEL_SDK_DISABLED=true: no telemetry, so no instrumentation either");
        return;
      }
      Tracing.install(sdk.openTelemetry(), version);
      boolean defaultEnabled = config.getBoolean("otel.instrumentation.common.default-enabled", true);
      ClassLoader agentLoader = AgentInstaller.class.getClassLoader();
      List<String> installed = InstrumentationInstaller.create(instrumentation, agentLoader).install(
          InstrumentationInstaller.discover(agentLoader),
          name -> config.getBoolean("otel.instrumentation." + name + ".enabled", defaultEnabled));
      AgentLog.info("tracelight " + version + " started; instrumentation: " + String.join(", ", installed));
      AgentLog.debug("start-up: SDK " + (sdkReady - start) / 1_000_000 + " ms, instrumentation "
          + (System.nanoTime() - sdkReady) / 1_000_000 + " ms");
    } catch (Throwable t) {
      AgentLog.errorOnce("install", "the agent could not start; the application runs untraced", t);
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
