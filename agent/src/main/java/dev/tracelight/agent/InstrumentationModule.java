package dev.tracelight.agent;

import java.util.List;

/**
 * One instrumented library. Subclasses live in {@code dev.tracelight.agent.<library>} and are listed in
 * {@code META-INF/services/dev.tracelight.agent.InstrumentationModule} (read with ServiceLoader over the agent class
 * loader: no class-path scanning).
 */
public abstract class InstrumentationModule {
  private final String name;

  /** @param name as in {@code OTEL_INSTRUMENTATION_<NAME>_ENABLED}, lower-case with dashes: {@code java-http-client} */
  protected InstrumentationModule(String name) {
    this.name = name;
  }

  public final String name() {
    return name;
  }

  /**
   * What the library must look like in a class loader for this module to apply there. Checked once per class loader,
   * after a type already matched by name; where it fails, none of the module's advice is woven.
   */
  public LibraryShape shape() {
    return LibraryShape.ANY;
  }

  public abstract List<TypeInstrumentation> typeInstrumentations();

  /** Runs once before any advice of the module is woven, e.g. to plug readers into bootstrap bridges. */
  public void install() {}
}
