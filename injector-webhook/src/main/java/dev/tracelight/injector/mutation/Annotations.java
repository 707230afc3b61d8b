package dev.tracelight.injector.mutation;

/** The operator's annotation names, which users already have on their pods and namespaces. */
final class Annotations {

  static final String INJECT_JAVA = "instrumentation.opentelemetry.io/inject-java";
  static final String CONTAINER_NAMES = "instrumentation.opentelemetry.io/container-names";
  static final String JAVA_CONTAINER_NAMES = "instrumentation.opentelemetry.io/java-container-names";
  static final String RESOURCE_PREFIX = "resource.opentelemetry.io/";

  private Annotations() {
  }
}
