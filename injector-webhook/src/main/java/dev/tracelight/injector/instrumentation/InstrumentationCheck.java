package dev.tracelight.injector.instrumentation;

import io.fabric8.kubernetes.api.model.EnvVar;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Names the mistakes in an Instrumentation that would otherwise give a silently wrong pod: unknown propagators or
 * samplers (the CRD's enums), a ratio outside [0,1], an endpoint the agent cannot use. Each problem says where it is,
 * what is wrong and what is expected.
 */
public final class InstrumentationCheck {

  /** The CRD's enum for spec.propagators. */
  static final Set<String> PROPAGATORS =
      Set.of("tracecontext", "baggage", "b3", "b3multi", "jaeger", "xray", "ottrace", "none");
  /** The CRD's enum for spec.sampler.type. */
  static final Set<String> SAMPLERS = Set.of("always_on", "always_off", "traceidratio", "parentbased_always_on",
      "parentbased_always_off", "parentbased_traceidratio", "jaeger_remote", "parentbased_jaeger_remote", "xray");

  private InstrumentationCheck() {
  }

  /** Returns the problems found, empty when the resource can be used. */
  public static List<String> problems(Instrumentation instrumentation) {
    List<String> problems = new ArrayList<>();
    String where = "Instrumentation " + instrumentation.qualifiedName() + ": ";
    InstrumentationSpec spec = instrumentation.getSpec();
    if (spec == null) {
      problems.add(where + "spec: missing (expected at least spec.exporter.endpoint)");
      return problems;
    }
    if (spec.exporter() != null && spec.exporter().endpoint() != null) {
      checkEndpoint(where + "spec.exporter.endpoint", spec.exporter().endpoint(), problems);
    }
    for (int i = 0; i < spec.propagators().size(); i++) {
      String propagator = spec.propagators().get(i);
      if (!PROPAGATORS.contains(propagator)) {
        problems.add(where + "spec.propagators[" + i + "]: unknown propagator \"" + propagator + "\" (expected one of "
            + sorted(PROPAGATORS) + ")");
      }
    }
    if (spec.sampler() != null) {
      checkSampler(where, spec.sampler(), problems);
    }
    checkEnv(where + "spec.env", spec.env(), problems);
    if (spec.java() != null) {
      checkEnv(where + "spec.java.env", spec.java().env(), problems);
    }
    return problems;
  }

  private static void checkSampler(String where, InstrumentationSpec.Sampler sampler, List<String> problems) {
    String type = sampler.type();
    if (type == null || !SAMPLERS.contains(type)) {
      problems.add(where + "spec.sampler.type: unknown sampler \"" + type + "\" (expected one of " + sorted(SAMPLERS)
          + ")");
      return;
    }
    if (type.endsWith("traceidratio") && sampler.argument() != null) {
      String argument = sampler.argument().trim();
      double ratio;
      try {
        ratio = Double.parseDouble(argument);
      } catch (NumberFormatException e) {
        problems.add(where + "spec.sampler.argument: \"" + argument + "\" is not a number (expected a ratio in [0,1], "
            + "e.g. \"0.25\")");
        return;
      }
      if (!(ratio >= 0.0 && ratio <= 1.0)) {
        problems.add(where + "spec.sampler.argument: " + argument + " is outside [0,1] (0 samples no trace, 1 every "
            + "trace)");
      }
    }
  }

  private static void checkEnv(String where, List<EnvVar> env, List<String> problems) {
    for (int i = 0; i < env.size(); i++) {
      EnvVar var = env.get(i);
      if (var.getName() == null || var.getName().isBlank()) {
        problems.add(where + "[" + i + "].name: missing");
      } else if ("OTEL_EXPORTER_OTLP_ENDPOINT".equals(var.getName()) && var.getValue() != null) {
        checkEndpoint(where + "[" + i + "] (OTEL_EXPORTER_OTLP_ENDPOINT)", var.getValue(), problems);
      }
    }
  }

  private static void checkEndpoint(String where, String endpoint, List<String> problems) {
    String expected = " (expected http://host:port or https://host:port, e.g. http://otelcol-collector:4318)";
    URI uri;
    try {
      uri = new URI(endpoint.trim());
    } catch (URISyntaxException e) {
      problems.add(where + ": \"" + endpoint + "\" is not a URL: " + e.getReason() + expected);
      return;
    }
    String scheme = uri.getScheme();
    if (scheme == null || uri.getHost() == null && !"http".equalsIgnoreCase(scheme)
        && !"https".equalsIgnoreCase(scheme)) {
      // "otelcol:4317" parses as scheme "otelcol" with no host: the scheme was left out.
      problems.add(where + ": \"" + endpoint + "\" has no scheme" + expected);
    } else if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
      problems.add(where + ": \"" + endpoint + "\" has scheme \"" + scheme + "\"" + expected);
    } else if (uri.getHost() == null || uri.getHost().isEmpty()) {
      problems.add(where + ": \"" + endpoint + "\" has no host" + expected);
    }
  }

  private static String sorted(Set<String> values) {
    return String.join(", ", values.stream().sorted().toList());
  }
}
