package dev.tracelight.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SdkSlotTest {
  private static final long LONG_WAIT = 30_000;
  private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
      .addSpanProcessor(SimpleSpanProcessor.create(InMemorySpanExporter.create())).build()).build();

  @Test
  void emptySlotIsANoOpAndNeverWaits() {
    SdkSlot slot = new SdkSlot(LONG_WAIT);
    assertThat(slot.openTelemetry()).isSameAs(OpenTelemetry.noop());
    assertThat(slot.tracer().spanBuilder("x").startSpan().getSpanContext().isValid()).isFalse();
  }

  @Test
  void telemetryMadeWhileTheSdkIsBuiltWaitsForItAndGetsIt() throws Exception {
    SdkSlot slot = new SdkSlot(LONG_WAIT);
    slot.expect(new Thread(() -> {}));
    CountDownLatch asking = new CountDownLatch(1);
    CompletableFuture<OpenTelemetry> early = CompletableFuture.supplyAsync(() -> {
      asking.countDown();
      return slot.openTelemetry();
    });
    CompletableFuture<Boolean> earlySpan = CompletableFuture.supplyAsync(
        () -> slot.tracer().spanBuilder("early").startSpan().getSpanContext().isValid());
    asking.await();
    Thread.sleep(200);
    assertThat(early).isNotDone();
    assertThat(earlySpan).isNotDone();

    slot.install(sdk, "1.2.3");
    assertThat(early.get(5, TimeUnit.SECONDS)).isSameAs(sdk);
    assertThat(earlySpan.get(5, TimeUnit.SECONDS)).isTrue();
    assertThat(slot.version()).isEqualTo("1.2.3");
  }

  @Test
  void theBuilderItselfNeverWaits() throws Exception {
    SdkSlot slot = new SdkSlot(LONG_WAIT);
    CompletableFuture<OpenTelemetry> seenByBuilder = new CompletableFuture<>();
    Thread builder = new Thread(() -> seenByBuilder.complete(slot.openTelemetry()));
    slot.expect(builder);
    builder.start();
    assertThat(seenByBuilder.get(5, TimeUnit.SECONDS)).isSameAs(OpenTelemetry.noop());
  }

  @Test
  void anSdkThatCouldNotBeBuiltReleasesTheWaitersWithANoOpAndSkipsTheSetUpThatNeedsIt() throws Exception {
    SdkSlot slot = new SdkSlot(LONG_WAIT);
    slot.expect(new Thread(() -> {}));
    List<String> ran = new ArrayList<>();
    slot.whenInstalled(() -> ran.add("metrics"));
    CompletableFuture<OpenTelemetry> early = CompletableFuture.supplyAsync(slot::openTelemetry);
    slot.settle();
    assertThat(early.get(5, TimeUnit.SECONDS)).isSameAs(OpenTelemetry.noop());
    slot.whenInstalled(() -> ran.add("later"));
    assertThat(ran).isEmpty();
  }

  @Test
  void setUpThatNeedsTheSdkRunsOnceItIsInstalledOrAtOnceAfterwards() {
    SdkSlot slot = new SdkSlot(LONG_WAIT);
    slot.expect(new Thread(() -> {}));
    List<OpenTelemetry> seen = new ArrayList<>();
    slot.whenInstalled(() -> seen.add(slot.openTelemetry()));
    assertThat(seen).isEmpty();
    slot.install(sdk, "1.2.3");
    slot.whenInstalled(() -> seen.add(slot.openTelemetry()));
    slot.whenInstalled(() -> {
      throw new IllegalStateException("a failing set-up is logged, not thrown");
    });
    assertThat(seen).containsExactly(sdk, sdk);
  }

  @Test
  void aWaitThatRunsOutIsANoOpAndTheNextCallsDoNotWaitAgain() {
    SdkSlot slot = new SdkSlot(100);
    slot.expect(new Thread(() -> {}));
    long start = System.nanoTime();
    assertThat(slot.openTelemetry()).isSameAs(OpenTelemetry.noop());
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(100);
    start = System.nanoTime();
    for (int i = 0; i < 50; i++) {
      assertThat(slot.tracer().spanBuilder("x").startSpan().getSpanContext().isValid()).isFalse();
    }
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(100 * 50);
    slot.install(sdk, "1.2.3"); // late, but from then on telemetry flows
    assertThat(slot.openTelemetry()).isSameAs(sdk);
  }
}
