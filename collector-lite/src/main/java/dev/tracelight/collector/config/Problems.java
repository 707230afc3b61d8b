package dev.tracelight.collector.config;

import java.util.ArrayList;
import java.util.List;

/** Errors and warnings found while reading one config file, each prefixed with the file and the key path. */
final class Problems {
  private final String file;
  private final List<String> errors = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();

  Problems(String file) {
    this.file = file;
  }

  void error(String path, String message) {
    addOnce(errors, file + ": " + path + ": " + message);
  }

  void warn(String path, String message) {
    addOnce(warnings, file + ": " + path + ": " + message);
  }

  /** The same finding can come from several signals of one exporter (its base endpoint); say it once. */
  private static void addOnce(List<String> list, String problem) {
    if (!list.contains(problem)) {
      list.add(problem);
    }
  }

  List<String> errors() {
    return errors;
  }

  List<String> warnings() {
    return warnings;
  }
}
