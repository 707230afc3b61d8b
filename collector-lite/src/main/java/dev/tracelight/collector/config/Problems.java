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
    errors.add(file + ": " + path + ": " + message);
  }

  void warn(String path, String message) {
    warnings.add(file + ": " + path + ": " + message);
  }

  List<String> errors() {
    return errors;
  }

  List<String> warnings() {
    return warnings;
  }
}
