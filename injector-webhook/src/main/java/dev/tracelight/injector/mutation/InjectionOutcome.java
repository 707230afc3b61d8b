package dev.tracelight.injector.mutation;

import dev.tracelight.injector.instrumentation.Instrumentation;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;

/**
 * What an injection did.
 *
 * @param pod the mutated pod when {@link Status#INJECTED}, else the input pod unchanged
 * @param instrumentation the Instrumentation applied, or null
 * @param warnings what a user must know: why the pod was refused, or which container was left alone and why
 */
public record InjectionOutcome(Status status, Pod pod, Instrumentation instrumentation, List<String> warnings) {

  public enum Status {
    /** The agent was added to at least one container. */
    INJECTED,
    /** No inject-java annotation (or "false") on the pod or its namespace. */
    NOT_REQUESTED,
    /** The pod already carries the agent; injecting again would change nothing. */
    ALREADY_INJECTED,
    /** Injection was asked for but cannot be done; the pod is left unchanged and the warnings say why. */
    REFUSED
  }

  public InjectionOutcome {
    warnings = List.copyOf(warnings);
  }

  public boolean changed() {
    return status == Status.INJECTED;
  }
}
