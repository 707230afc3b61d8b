package dev.tracelight.injector.mutation;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A container's env list being edited in place. Every add is "if absent": a variable the user (or a more specific
 * level of the Instrumentation) already set is never overwritten and never repeated.
 */
final class EnvList {

  private final List<EnvVar> vars;

  EnvList(List<EnvVar> vars) {
    this.vars = new ArrayList<>(vars == null ? List.of() : vars);
  }

  List<EnvVar> list() {
    return vars;
  }

  boolean has(String name) {
    return indexOf(name) >= 0;
  }

  Optional<EnvVar> get(String name) {
    int index = indexOf(name);
    return index < 0 ? Optional.empty() : Optional.of(vars.get(index));
  }

  /** The literal value of a variable, empty when absent or given through valueFrom. */
  Optional<String> value(String name) {
    return get(name).filter(v -> v.getValueFrom() == null).map(EnvVar::getValue);
  }

  void addIfAbsent(EnvVar var) {
    if (!has(var.getName())) {
      vars.add(new EnvVarBuilder(var).build());
    }
  }

  void addIfAbsent(String name, String value) {
    addIfAbsent(new EnvVarBuilder().withName(name).withValue(value).build());
  }

  void addFieldRefIfAbsent(String name, String fieldPath) {
    addIfAbsent(new EnvVarBuilder().withName(name).withNewValueFrom().withNewFieldRef()
        .withFieldPath(fieldPath).endFieldRef().endValueFrom().build());
  }

  void prependFieldRefIfAbsent(String name, String fieldPath) {
    if (!has(name)) {
      vars.add(0, new EnvVarBuilder().withName(name).withNewValueFrom().withNewFieldRef()
          .withFieldPath(fieldPath).endFieldRef().endValueFrom().build());
    }
  }

  void set(int index, EnvVar var) {
    vars.set(index, var);
  }

  void insert(int index, EnvVar var) {
    vars.add(index, var);
  }

  /** Moves a variable to the end, so that every $(VAR) it references is defined before it. */
  void moveLast(String name) {
    int index = indexOf(name);
    if (index >= 0) {
      vars.add(vars.remove(index));
    }
  }

  int indexOf(String name) {
    for (int i = 0; i < vars.size(); i++) {
      if (name.equals(vars.get(i).getName())) {
        return i;
      }
    }
    return -1;
  }
}
