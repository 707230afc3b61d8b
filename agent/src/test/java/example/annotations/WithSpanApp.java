package example.annotations;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import java.util.concurrent.CompletableFuture;

/**
 * Methods annotated the way applications do, called once each from main. Outside {@code dev.tracelight}: the agent
 * never instruments its own packages, and this stands for application code.
 */
public final class WithSpanApp {
  private WithSpanApp() {}

  public static void main(String[] args) throws Exception {
    WithSpanApp app = new WithSpanApp();
    System.out.println("CHECKOUT " + app.checkout("u-42", 3, 99));
    try {
      app.fail();
    } catch (IllegalStateException expected) {
      System.out.println("FAILED " + expected.getMessage());
    }
    System.out.println("LATER " + app.later().get());
    System.exit(0);
  }

  @WithSpan
  public String checkout(@SpanAttribute("user.id") String user, @SpanAttribute("items") long items, int notRecorded) {
    return reserve(items) + " for " + user;
  }

  @WithSpan(value = "reserve stock", kind = SpanKind.PRODUCER)
  String reserve(long items) {
    return items + " reserved";
  }

  @WithSpan
  void fail() {
    throw new IllegalStateException("out of stock");
  }

  /** The span ends when the future completes, not when the method returns. */
  @WithSpan
  CompletableFuture<String> later() {
    return CompletableFuture.supplyAsync(() -> "done");
  }
}
