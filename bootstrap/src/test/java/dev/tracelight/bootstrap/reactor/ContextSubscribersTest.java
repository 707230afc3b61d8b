package dev.tracelight.bootstrap.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/** The lifter with a stand-in for Reactor's CoreSubscriber: which context each signal sees, and what it leaves. */
class ContextSubscribersTest {
  private static final ContextKey<String> REQUEST = ContextKey.named("request");

  /** The shape of Reactor's {@code CoreSubscriber} the lifter relies on: signals plus a default method. */
  public interface Subscriber {
    void onSubscribe(Object subscription);

    void onNext(Object value);

    void onError(Throwable error);

    void onComplete();

    default String currentContext() {
      return "reactor context of " + this;
    }
  }

  private final BiFunction<Object, Object, Object> lifter = ContextSubscribers.lifter(Subscriber.class);

  @Test
  void signalsOnOtherThreadsSeeTheContextOfTheSubscriptionAndLeaveTheThreadsOwn() throws Exception {
    Recording recording = new Recording();
    Subscriber lifted;
    try (Scope ignored = Context.root().with(REQUEST, "a").makeCurrent()) {
      lifted = (Subscriber) lifter.apply(null, recording);
    }
    Thread other = new Thread(() -> {
      try (Scope ignored = Context.root().with(REQUEST, "b").makeCurrent()) {
        lifted.onSubscribe("subscription");
        lifted.onNext("x");
        lifted.onComplete();
        recording.seen.add("after: " + Context.current().get(REQUEST));
      }
    });
    other.start();
    other.join();

    assertThat(recording.seen).containsExactly("onSubscribe subscription: a", "onNext x: a", "onComplete: a",
        "after: b");
    assertThat(Context.current().get(REQUEST)).isNull();
  }

  @Test
  void subscribersWithoutContextAreNotWrapped() {
    Recording recording = new Recording();
    assertThat(lifter.apply(null, recording)).isSameAs(recording);
  }

  @Test
  void defaultMethodsReachTheSubscriberAndItsExceptionsPassUnchanged() {
    Recording recording = new Recording();
    Subscriber lifted;
    try (Scope ignored = Context.root().with(REQUEST, "a").makeCurrent()) {
      lifted = (Subscriber) lifter.apply(null, recording);
    }
    assertThat(lifted.currentContext()).isEqualTo("reactor context of recording");
    assertThat(lifted.toString()).isEqualTo("recording");
    assertThat(lifted).isEqualTo(lifted).isNotEqualTo(recording);
    IllegalStateException failure = new IllegalStateException("boom");
    assertThatThrownBy(() -> lifted.onError(failure)).isSameAs(failure);
    assertThat(Context.current().get(REQUEST)).as("restored after a throwing signal").isNull();
  }

  private static final class Recording implements Subscriber {
    final List<String> seen = new ArrayList<>();

    @Override
    public void onSubscribe(Object subscription) {
      seen.add("onSubscribe " + subscription + ": " + Context.current().get(REQUEST));
    }

    @Override
    public void onNext(Object value) {
      seen.add("onNext " + value + ": " + Context.current().get(REQUEST));
    }

    @Override
    public void onError(Throwable error) {
      throw (RuntimeException) error;
    }

    @Override
    public void onComplete() {
      seen.add("onComplete: " + Context.current().get(REQUEST));
    }

    @Override
    public String toString() {
      return "recording";
    }
  }
}
