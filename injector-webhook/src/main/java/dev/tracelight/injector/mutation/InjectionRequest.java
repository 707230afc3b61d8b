package dev.tracelight.injector.mutation;

import java.util.Map;

/**
 * What the {@code inject-java} annotations of a pod and its namespace ask for, with the operator's precedence: the
 * pod's value wins, except that a pod saying {@code true} in a namespace that names an instance gets that instance.
 *
 * @param namespace where to look for the Instrumentation (when {@code requested})
 * @param name the Instrumentation's name, or null for "the only one in the namespace"
 * @param problem why the annotation cannot be followed, or null
 */
record InjectionRequest(boolean requested, String namespace, String name, String problem) {

  static InjectionRequest resolve(String podNamespace, Map<String, String> podAnnotations,
                                  Map<String, String> namespaceAnnotations) {
    String podValue = value(podAnnotations);
    String namespaceValue = value(namespaceAnnotations);
    String value = podValue;
    if (podValue.isEmpty()) {
      value = namespaceValue;
    } else if (podValue.equalsIgnoreCase("true") && !namespaceValue.isEmpty()
        && !namespaceValue.equalsIgnoreCase("true") && !namespaceValue.equalsIgnoreCase("false")) {
      value = namespaceValue;
    }
    if (value.isEmpty() || value.equalsIgnoreCase("false")) {
      return new InjectionRequest(false, null, null, null);
    }
    if (value.equalsIgnoreCase("true")) {
      return new InjectionRequest(true, podNamespace, null, null);
    }
    String[] parts = value.split("/", -1);
    if (parts.length == 1) {
      return new InjectionRequest(true, podNamespace, value, null);
    }
    if (parts.length == 2 && !parts[0].isEmpty() && !parts[1].isEmpty()) {
      return new InjectionRequest(true, parts[0], parts[1], null);
    }
    return new InjectionRequest(true, null, null, Annotations.INJECT_JAVA + ": \"" + value
        + "\" is not true, false, a name or namespace/name");
  }

  private static String value(Map<String, String> annotations) {
    String value = annotations == null ? null : annotations.get(Annotations.INJECT_JAVA);
    return value == null ? "" : value.trim();
  }
}
