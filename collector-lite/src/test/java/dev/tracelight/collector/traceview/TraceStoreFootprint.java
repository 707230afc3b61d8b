package dev.tracelight.collector.traceview;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Measures the heap a full {@link TraceStore} takes per span (not a test; run by hand, see the README's "Trace view"
 * section). Spans look like the OpenTelemetry Java agent's HTTP server spans: 12 attributes, sent in batches of 100
 * with a 15-attribute resource, as real requests are decoded (from bytes).
 *
 * <p>{@code java -cp <test classpath> dev.tracelight.collector.traceview.TraceStoreFootprint [maxSpans]}
 */
final class TraceStoreFootprint {
  private TraceStoreFootprint() {}

  public static void main(String[] args) throws Exception {
    int maxSpans = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
    long before = usedAfterGc();
    TraceStore store = TraceStore.create(maxSpans, maxSpans, Duration.ZERO);
    int spansPerTrace = 10;
    int sent = 0;
    long nanos = 0;
    for (int batch = 0; sent < 3 * maxSpans; batch++) {
      byte[] request = batch(batch, 100, spansPerTrace).toByteArray();
      long t = System.nanoTime();
      store.add(ExportTraceServiceRequest.parseFrom(request)); // what TraceViewExporter.export does
      nanos += System.nanoTime() - t;
      sent += 100;
    }
    long after = usedAfterGc();
    System.out.printf("sent %d spans, stored %d spans in %d traces; heap %.1f MiB, %d bytes per stored span; "
        + "decode+store %.0f spans/s on one thread%n", sent, store.usage().spans(), store.usage().traces(),
        (after - before) / 1048576.0, (after - before) / store.usage().spans(), sent / (nanos / 1e9));
  }

  private static ExportTraceServiceRequest batch(int batch, int spans, int spansPerTrace) {
    Resource.Builder resource = Resource.newBuilder();
    String[][] resourceAttributes = {{"service.name", "checkout"}, {"service.version", "1.4.2"},
        {"service.instance.id", "6f1c2a8e-3b7d-4e2f-9a10-5c8d7e6f4b21"}, {"host.name", "checkout-7d9f8b6c5-x2k4p"},
        {"host.arch", "amd64"}, {"os.type", "linux"}, {"os.description", "Linux 6.1.0-18-amd64"},
        {"process.pid", "1"}, {"process.runtime.name", "OpenJDK Runtime Environment"},
        {"process.runtime.version", "21.0.5+11-LTS"}, {"telemetry.sdk.name", "opentelemetry"},
        {"telemetry.sdk.language", "java"}, {"telemetry.sdk.version", "1.68.0"},
        {"k8s.namespace.name", "shop"}, {"k8s.pod.name", "checkout-7d9f8b6c5-x2k4p"}};
    for (String[] kv : resourceAttributes) {
      resource.addAttributes(kv(kv[0], kv[1]));
    }
    ScopeSpans.Builder scope = ScopeSpans.newBuilder()
        .setScope(InstrumentationScope.newBuilder().setName("io.opentelemetry.tomcat-10.0").setVersion("2.22.0"));
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < spans; i++) {
      int n = batch * spans + i;
      long start = 1_767_225_600_000_000_000L + n * 1_000_000L;
      scope.addSpans(Span.newBuilder()
          .setTraceId(ByteString.copyFrom(ByteBuffer.allocate(16).putLong(8, n / spansPerTrace).array()))
          .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(n + 1L).array()))
          .setParentSpanId(n % spansPerTrace == 0 ? ByteString.EMPTY
              : ByteString.copyFrom(ByteBuffer.allocate(8).putLong(n - n % spansPerTrace + 1L).array()))
          .setName("GET /api/orders/{id}")
          .setKind(Span.SpanKind.SPAN_KIND_SERVER)
          .setStartTimeUnixNano(start)
          .setEndTimeUnixNano(start + random.nextLong(100_000, 50_000_000))
          .addAttributes(kv("http.request.method", "GET"))
          .addAttributes(kv("url.path", "/api/orders/" + n))
          .addAttributes(kv("url.scheme", "http"))
          .addAttributes(kv("http.route", "/api/orders/{id}"))
          .addAttributes(KeyValue.newBuilder().setKey("http.response.status_code")
              .setValue(AnyValue.newBuilder().setIntValue(200)))
          .addAttributes(kv("server.address", "checkout.shop.svc.cluster.local"))
          .addAttributes(KeyValue.newBuilder().setKey("server.port").setValue(AnyValue.newBuilder().setIntValue(8080)))
          .addAttributes(kv("network.protocol.version", "1.1"))
          .addAttributes(kv("client.address", "10.42.0." + (n % 250)))
          .addAttributes(kv("user_agent.original", "Java-http-client/21.0.5"))
          .addAttributes(KeyValue.newBuilder().setKey("thread.id").setValue(AnyValue.newBuilder().setIntValue(42)))
          .addAttributes(kv("thread.name", "http-nio-8080-exec-" + (n % 10))));
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().setResource(resource).addScopeSpans(scope)).build();
  }

  private static KeyValue kv(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  private static long usedAfterGc() throws InterruptedException {
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
