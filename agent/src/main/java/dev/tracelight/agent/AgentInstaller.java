package dev.tracelight.agent;

import dev.tracelight.agent.sdk.AgentSdk;
import dev.tracelight.bootstrap.AgentLog;
import dev.tracelight.bootstrap.Tracing;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import java.io.File;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.jar.JarFile;

/** Starts the agent inside the agent class loader: SDK first, then the instrumentation that feeds it. */
public final class AgentInstaller {
  private AgentInstaller() {}

  /** Called reflectively by the premain class. Never throws: a broken agent must leave a working application. */
  public static void install(Instrumentation instrumentation, File agentJar) {
    try {
      long start = System.nanoTime();
      String version = versionOf(agentJar);
      // The SDK and ByteBuddy's set-up are independent until Tracing.install, and each is mostly class loading: the SDK
      // is built on a second thread while this one prepares the instrumentation (issue 9). Both are joined before
      // premain returns, so the application's first request is traced like any other.
      FutureTask<AgentSdk> sdkBuild = new FutureTask<>(() -> AgentSdk.create(version));
      Thread sdkThread = new Thread(sdkBuild, "tracelight-sdk-start");
      sdkThread.setDaemon(true);
      sdkThread.start();
      ClassLoader agentLoader = AgentInstaller.class.getClassLoader();
      InstrumentationInstaller installer = InstrumentationInstaller.create(instrumentation, agentLoader);
      InstrumentationInstaller.Prepared prepared = installer.prepare(InstrumentationInstaller.discover(agentLoader));
      long instrumentationPrepared = System.nanoTime();
      AgentSdk sdk = joined(sdkBuild);
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
      List<String> installed = installer.install(prepared,
          name -> config.getBoolean("otel.instrumentation." + name + ".enabled", defaultEnabled));
      AgentLog.info("tracelight " + version + " started; instrumentation: " + String.join(", ", installed));
      AgentLog.debug("start-up: instrumentation prepared in " + (instrumentationPrepared - start) / 1_000_000
          + " ms, SDK ready at " + (sdkReady - start) / 1_000_000 + " ms, instrumentation installed at "
          + (System.nanoTime() - start) / 1_000_000 + " ms");
    } catch (Throwable t) {
      AgentLog.errorOnce("install", "the agent could not start; the application runs untraced", t);
    }
  }

  /** The SDK built on its own thread; what it threw is rethrown as it was. */
  private static AgentSdk joined(FutureTask<AgentSdk> sdkBuild) throws Throwable {
    try {
      return sdkBuild.get();
    } catch (ExecutionException e) {
      throw e.getCause();
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
