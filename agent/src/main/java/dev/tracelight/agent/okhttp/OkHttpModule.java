package dev.tracelight.agent.okhttp;

import dev.tracelight.agent.InstrumentationModule;
import dev.tracelight.agent.LibraryShape;
import dev.tracelight.agent.TypeInstrumentation;
import java.util.List;

/** CLIENT spans for OkHttp 4 and 5, synchronous and asynchronous calls alike. */
public final class OkHttpModule extends InstrumentationModule {
  private static final LibraryShape SHAPE = LibraryShape.builder()
      .method(InterceptorChainInstrumentation.CHAIN, "proceed", 1)
      .method("okhttp3.Request", "newBuilder", 0)
      .method("okhttp3.Response", "code", 0)
      .build();

  public OkHttpModule() {
    super("okhttp");
  }

  @Override
  public LibraryShape shape() {
    return SHAPE;
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return List.of(new InterceptorChainInstrumentation());
  }
}
