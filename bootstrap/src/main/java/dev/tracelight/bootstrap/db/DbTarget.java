package dev.tracelight.bootstrap.db;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;

/** Which database a call goes to: system, namespace and server, as span and metric attributes (built once). */
public final class DbTarget {
  private final String systemName;
  private final String namespace;
  private final String serverAddress;
  private final long serverPort;
  private final Attributes attributes;

  private DbTarget(String systemName, String namespace, String serverAddress, long serverPort) {
    this.systemName = systemName;
    this.namespace = namespace;
    this.serverAddress = serverAddress;
    this.serverPort = serverPort;
    AttributesBuilder builder = Attributes.builder().put(DbAttributes.DB_SYSTEM_NAME, systemName);
    if (namespace != null && !namespace.isEmpty()) {
      builder.put(DbAttributes.DB_NAMESPACE, namespace);
    }
    if (serverAddress != null && !serverAddress.isEmpty()) {
      builder.put(DbAttributes.SERVER_ADDRESS, serverAddress);
      if (serverPort > 0) {
        builder.put(DbAttributes.SERVER_PORT, serverPort);
      }
    }
    this.attributes = builder.build();
  }

  /**
   * @param systemName a {@code db.system.name} value ({@code postgresql}, {@code h2database}, {@code redis})
   * @param namespace database name or index, or null
   * @param serverAddress host, or null for embedded databases
   * @param serverPort port, or -1
   */
  public static DbTarget create(String systemName, String namespace, String serverAddress, long serverPort) {
    return new DbTarget(systemName, namespace, serverAddress, serverPort);
  }

  public String systemName() {
    return systemName;
  }

  public String namespace() {
    return namespace;
  }

  public String serverAddress() {
    return serverAddress;
  }

  public long serverPort() {
    return serverPort;
  }

  Attributes attributes() {
    return attributes;
  }

  @Override
  public String toString() {
    return systemName + " " + namespace + " " + serverAddress + ":" + serverPort;
  }
}
