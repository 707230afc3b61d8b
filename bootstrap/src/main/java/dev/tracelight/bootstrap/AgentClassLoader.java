package dev.tracelight.bootstrap;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * Loads the agent's hidden part: classes stored as {@code inst/<name>.classdata} in the agent jar (ByteBuddy, the SDK,
 * the exporters, our instrumentation). No other class loader can see them, so the application never finds ByteBuddy or
 * the SDK, and class-path scanners do not trip over them. Parent: the platform loader, which sees the bootstrap part
 * (our bridge, the relocated OTel API) and JDK modules like java.net.http, but not the application.
 */
public final class AgentClassLoader extends ClassLoader {
  private static final String PREFIX = "inst/";

  static {
    registerAsParallelCapable();
  }

  private final JarFile jar;
  private final String jarUrl;
  private final ProtectionDomain protectionDomain;

  public AgentClassLoader(File agentJar) throws IOException {
    super("tracelight", ClassLoader.getPlatformClassLoader());
    this.jar = new JarFile(agentJar, false);
    URL location = agentJar.toURI().toURL();
    this.jarUrl = location.toExternalForm();
    this.protectionDomain = new ProtectionDomain(new CodeSource(location, (Certificate[]) null), null, this, null);
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    String path = PREFIX + name.replace('.', '/') + ".classdata";
    ZipEntry entry = jar.getEntry(path);
    if (entry == null) {
      throw new ClassNotFoundException(name);
    }
    byte[] bytes;
    try (InputStream in = jar.getInputStream(entry)) {
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new ClassNotFoundException(name, e);
    }
    definePackageOf(name);
    return defineClass(name, bytes, 0, bytes.length, protectionDomain);
  }

  /** Resources, including class files ({@code x/Y.class}), as ByteBuddy reads advice classes through them. */
  @Override
  protected URL findResource(String name) {
    String path = name.endsWith(".class")
        ? PREFIX + name.substring(0, name.length() - ".class".length()) + ".classdata"
        : PREFIX + name;
    if (jar.getEntry(path) == null) {
      return null;
    }
    try {
      return new URL("jar:" + jarUrl + "!/" + path);
    } catch (MalformedURLException e) {
      return null;
    }
  }

  @Override
  protected Enumeration<URL> findResources(String name) {
    URL url = findResource(name);
    return url == null ? Collections.emptyEnumeration() : Collections.enumeration(Collections.singletonList(url));
  }

  private void definePackageOf(String className) {
    int dot = className.lastIndexOf('.');
    if (dot > 0) {
      String pkg = className.substring(0, dot);
      if (getDefinedPackage(pkg) == null) {
        try {
          definePackage(pkg, null, null, null, null, null, null, null);
        } catch (IllegalArgumentException racedWithAnotherThread) {
          // defined concurrently: fine
        }
      }
    }
  }
}
