package dev.tracelight.collector.config;

/** A component id as the collector writes it: {@code type} or {@code type/name} (the name may contain more slashes). */
public record ComponentId(String type, String name) {

  public static ComponentId parse(String id) {
    int slash = id.indexOf('/');
    return slash < 0 ? new ComponentId(id, "") : new ComponentId(id.substring(0, slash), id.substring(slash + 1));
  }

  @Override
  public String toString() {
    return name.isEmpty() ? type : type + "/" + name;
  }
}
