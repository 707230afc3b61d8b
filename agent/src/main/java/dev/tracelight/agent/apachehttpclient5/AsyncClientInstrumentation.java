package dev.tracelight.agent.apachehttpclient5;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.tracelight.agent.AdviceBinding;
import dev.tracelight.agent.TypeInstrumentation;
import dev.tracelight.bootstrap.apachehttpclient.AsyncExchange;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.RequestChannel;

/**
 * The async client (what {@code HttpAsyncClients.custom()/createDefault()} build; the minimal HTTP/2-only clients
 * are not covered): every {@code execute} ends in {@code doExecute(target, producer, consumer, pushHandlerFactory,
 * context, callback)}. Producer, consumer and callback are wrapped ({@link AsyncExchange}) so the span starts when the
 * request is written, with the caller's context as parent, and ends when the callback is told.
 */
final class AsyncClientInstrumentation implements TypeInstrumentation {
  static final String ASYNC_CLIENT = "org.apache.hc.client5.http.impl.async.InternalAbstractHttpAsyncClient";

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named(ASYNC_CLIENT);
  }

  @Override
  public void transform(AdviceBinding advice) {
    advice.apply(named("doExecute").and(takesArguments(6)), getClass().getName() + "$DoExecuteAdvice");
  }

  @SuppressWarnings({"unused", "rawtypes"})
  public static final class DoExecuteAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static AsyncExchange enter(@Advice.Argument(value = 1, readOnly = false) AsyncRequestProducer producer,
        @Advice.Argument(value = 2, readOnly = false) AsyncResponseConsumer consumer,
        @Advice.Argument(value = 5, readOnly = false) FutureCallback callback) {
      AsyncExchange exchange = AsyncExchange.create();
      if (exchange != null) {
        producer = (AsyncRequestProducer) exchange.producer(producer, AsyncRequestProducer.class,
            RequestChannel.class);
        consumer = (AsyncResponseConsumer) exchange.consumer(consumer, AsyncResponseConsumer.class);
        callback = (FutureCallback) exchange.callback(callback, FutureCallback.class);
      }
      return exchange;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter AsyncExchange exchange, @Advice.Thrown Throwable error) {
      if (exchange != null && error != null) {
        exchange.fail(error);
      }
    }
  }
}
