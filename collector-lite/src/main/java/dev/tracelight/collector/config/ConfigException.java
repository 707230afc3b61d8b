package dev.tracelight.collector.config;

import java.util.List;

/** A config that cannot run; each problem reads {@code file: key.path: what is wrong (what is accepted)}. */
public final class ConfigException extends Exception {
  private final List<String> problems;

  public ConfigException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
