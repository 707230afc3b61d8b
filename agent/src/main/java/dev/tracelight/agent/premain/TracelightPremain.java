package dev.tracelight.agent.premain;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.util.Locale;
import java.util.jar.JarFile;

/**
 * The only class the system class loader sees. It decides whether to start at all (cheaply, before anything is
 * loaded), puts the agent jar's bootstrap part on the bootstrap class path and hands over to the agent class loader.
 * Everything is reached by reflection so that no agent class is ever linked through the system class loader.
 */
public final class TracelightPremain {
  private TracelightPremain() {}

  public static void premain(String args, Instrumentation instrumentation) {
    try {
      if (!"false".equalsIgnoreCase(setting("otel.javaagent.enabled"))
          && !JdkTool.isRunning(System.getProperty("sun.java.command"))) {
        start(instrumentation);
      }
    } catch (Throwable t) {
      System.err.println("[tracelight] ERROR the agent could not start; the application runs untraced (" + t + ")");
    }
  }

  private static void start(Instrumentation instrumentation) throws Exception {
    File jar = new File(TracelightPremain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    // Advice woven into JDK classes calls our bridge, so the bridge must be in the boot loader (see agent/README.md).
    try (JarFile jarFile = new JarFile(jar, false)) {
      BootstrapClasses.define(instrumentation, jarFile);
    } catch (Exception | LinkageError e) {
      // Costs class-data sharing on JDK 17 and a VM warning, but always works.
      instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(jar));
    }
    Class<?> loaderClass = Class.forName("dev.tracelight.bootstrap.AgentClassLoader", true, null);
    ClassLoader agentLoader = (ClassLoader) loaderClass.getConstructor(File.class).newInstance(jar);
    Class<?> installer = Class.forName("dev.tracelight.agent.AgentInstaller", true, agentLoader);
    installer.getMethod("install", Instrumentation.class, File.class).invoke(null, instrumentation, jar);
  }

  private static String setting(String property) {
    String value = System.getProperty(property);
    return value != null ? value : System.getenv(property.toUpperCase(Locale.ROOT).replace('.', '_'));
  }
}
