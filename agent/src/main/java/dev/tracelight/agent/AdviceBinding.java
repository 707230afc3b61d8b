package dev.tracelight.agent;

import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** Collects which advice applies to which methods of one instrumented type. */
public final class AdviceBinding {
  private AgentBuilder.Transformer.ForAdvice transformer;

  AdviceBinding(AgentBuilder.Transformer.ForAdvice transformer) {
    this.transformer = transformer;
  }

  /**
   * @param adviceClassName binary name of the advice class, e.g. {@code Outer.class.getName() + "$SendAdvice"}; a
   *     name rather than a Class so the advice is never loaded into the agent class loader
   */
  public AdviceBinding apply(ElementMatcher<? super MethodDescription> methods, String adviceClassName) {
    transformer = transformer.advice(methods, adviceClassName);
    return this;
  }

  AgentBuilder.Transformer.ForAdvice transformer() {
    return transformer;
  }
}
