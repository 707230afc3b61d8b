package dev.tracelight.agent.lettuce;

import dev.tracelight.agent.InstrumentationModule;
import dev.tracelight.agent.LibraryShape;
import dev.tracelight.agent.TypeInstrumentation;
import java.util.List;

/**
 * CLIENT spans for Lettuce 6.x standalone connections, whatever the API (sync, async, reactive): a span starts when a
 * command is dispatched on the caller's thread (so it joins the caller's trace) and ends when the command completes
 * on Netty's thread. The connection's server and database come from {@code ConnectionState}.
 */
public final class LettuceModule extends InstrumentationModule {
  private static final LibraryShape SHAPE = LibraryShape.builder()
      .method("io.lettuce.core.StatefulRedisConnectionImpl", "dispatch", 1)
      .method("io.lettuce.core.ConnectionState", "apply", 1)
      .method("io.lettuce.core.ConnectionState", "setDb", 1)
      .method("io.lettuce.core.protocol.Command", "complete", 0)
      .method("io.lettuce.core.protocol.AsyncCommand", "complete", 0)
      .method("io.lettuce.core.protocol.CommandWrapper", "unwrap", 1)
      .method("io.lettuce.core.protocol.CommandArgs", "getFirstEncodedKey", 0)
      .build();

  public LettuceModule() {
    super("lettuce");
  }

  @Override
  public LibraryShape shape() {
    return SHAPE;
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return List.of(new ConnectionStateInstrumentation(), new DispatchInstrumentation(),
        new CommandInstrumentation(), new AsyncCommandInstrumentation());
  }
}
