package dev.tracelight.collector.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.tracelight.collector.OtlpSamples;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint.Buckets;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class OtlpWireTest {

  @Test
  void countsItemsOfEverySignalWithoutDecoding() throws Exception {
    assertThat(OtlpWire.count(Signal.TRACES, OtlpSamples.traces("t", 3, 7).toByteArray())).isEqualTo(21);
    assertThat(OtlpWire.count(Signal.METRICS, OtlpSamples.metrics(4, 5).toByteArray())).isEqualTo(9);
    assertThat(OtlpWire.count(Signal.LOGS, OtlpSamples.logs("l", 11).toByteArray())).isEqualTo(11);
    assertThat(OtlpWire.count(Signal.TRACES, new byte[0])).isZero();
  }

  @Test
  void rejectsTruncatedGarbageAndBadIds() {
    byte[] valid = OtlpSamples.traces("t", 1, 2).toByteArray();
    assertThatThrownBy(() -> OtlpWire.count(Signal.TRACES, Arrays.copyOf(valid, valid.length - 1)))
        .isInstanceOf(InvalidOtlpException.class);
    assertThatThrownBy(() -> OtlpWire.count(Signal.TRACES, "this is not protobuf".getBytes()))
        .isInstanceOf(InvalidOtlpException.class);
    byte[] shortId = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .addScopeSpans(ScopeSpans.newBuilder().addSpans(Span.newBuilder().setTraceId(ByteString.copyFrom(new byte[5])))))
        .build().toByteArray();
    assertThatThrownBy(() -> OtlpWire.count(Signal.TRACES, shortId)).isInstanceOf(InvalidOtlpException.class)
        .hasMessageContaining("invalid id length 5 (expected 16 bytes)");
  }

  @Test
  void countsOnlyThePointsOfTheLastDataFieldOfAMetricAsProtobufKeepsOnlyThatOne() throws Exception {
    Metric gauge = Metric.newBuilder().setName("m").setGauge(Gauge.newBuilder()
        .addDataPoints(NumberDataPoint.newBuilder().setAsInt(1)).addDataPoints(NumberDataPoint.newBuilder())).build();
    Metric sum = Metric.newBuilder().setSum(Sum.newBuilder().addDataPoints(NumberDataPoint.newBuilder())).build();
    Metric emptySum = Metric.newBuilder().setSum(Sum.getDefaultInstance()).build();

    assertThat(metricPoints(gauge, emptySum)).isZero(); // a gauge followed by an empty sum: the sum replaces it
    assertThat(metricPoints(gauge, sum)).isEqualTo(1);
    assertThat(metricPoints(gauge, gauge)).isEqualTo(4); // a repeated gauge merges: its points add up
    assertThat(metricPoints(gauge, emptySum, gauge)).isEqualTo(2);
  }

  @Test
  void refusesWhatAParserRefusesInsideAnyNestedMessageAndPackedNumbersThatDoNotFit() throws Exception {
    // a histogram point whose packed fixed64 bucket_counts hold 5 bytes; its explicit_bounds (packed doubles) 8
    ByteString fivePackedBytes = ByteString.copyFrom(new byte[] {
        (byte) (HistogramDataPoint.BUCKET_COUNTS_FIELD_NUMBER << 3 | 2), 5, 1, 2, 3, 4, 5});
    ByteString onePackedDouble = ByteString.copyFrom(new byte[] {
        (byte) (HistogramDataPoint.EXPLICIT_BOUNDS_FIELD_NUMBER << 3 | 2), 8, 0, 0, 0, 0, 0, 0, (byte) 0xf0, 0x3f});
    assertThatThrownBy(() -> histogramPoints(fivePackedBytes)).isInstanceOf(InvalidOtlpException.class)
        .hasMessageContaining("of 5 bytes does not hold whole 8-byte numbers");
    assertThat(histogramPoints(onePackedDouble)).isEqualTo(1);
    // a resource's entity reference (a message the walk has no special case for) whose only field is cut short
    byte[] cutEntityRef = lengthDelimited(1, lengthDelimited(1, ByteString.copyFrom(new byte[] {
        (byte) (Resource.ENTITY_REFS_FIELD_NUMBER << 3 | 2), 1, 0x11}))).toByteArray();
    assertThatThrownBy(() -> ExportTraceServiceRequest.parseFrom(cutEntityRef))
        .isInstanceOf(com.google.protobuf.InvalidProtocolBufferException.class);
    assertThatThrownBy(() -> OtlpWire.count(Signal.TRACES, cutEntityRef)).isInstanceOf(InvalidOtlpException.class);
  }

  @Test
  void refusesAPackedVarintCutByTheEndOfItsField() {
    // exponential histogram point -> positive (Buckets) -> bucket_counts, packed uint64: 0x80 promises another byte
    ByteString cut = ByteString.copyFrom(new byte[] {(byte) (Buckets.BUCKET_COUNTS_FIELD_NUMBER << 3 | 2), 2, 1,
        (byte) 0x80});
    assertThatThrownBy(() -> {
      ByteString point = lengthDelimited(ExponentialHistogramDataPoint.POSITIVE_FIELD_NUMBER, cut);
      byte[] request = lengthDelimited(1, lengthDelimited(2, lengthDelimited(2, lengthDelimited(
          Metric.EXPONENTIAL_HISTOGRAM_FIELD_NUMBER, lengthDelimited(1, point))))).toByteArray();
      OtlpWire.count(Signal.METRICS, request);
    }).isInstanceOf(InvalidOtlpException.class);
  }

  /** The points the wire walk counts in a request of one histogram with one data point made of the given bytes. */
  private static int histogramPoints(ByteString point) throws Exception {
    byte[] request = lengthDelimited(1, lengthDelimited(2, lengthDelimited(2, lengthDelimited(
        Metric.HISTOGRAM_FIELD_NUMBER, lengthDelimited(1, point))))).toByteArray();
    int points = OtlpWire.count(Signal.METRICS, request);
    ExportMetricsServiceRequest.parseFrom(request); // what the walk accepts, protobuf-java accepts
    return points;
  }

  /** The points the wire walk counts in one Metric sent as the concatenation of the given ones (protobuf merges them). */
  private static int metricPoints(Metric... parts) throws Exception {
    ByteString metric = ByteString.EMPTY;
    for (Metric m : parts) {
      metric = metric.concat(m.toByteString());
    }
    // request.resource_metrics(1).scope_metrics(2).metrics(2), written by hand so the parts stay as sent
    byte[] request = lengthDelimited(1, lengthDelimited(2, lengthDelimited(2, metric))).toByteArray();
    int points = OtlpWire.count(Signal.METRICS, request);
    // DynamicMessage: the generated parser keeps a replaced oneof member's points when that member comes back
    Metric parsed = ExportMetricsServiceRequest.parseFrom(com.google.protobuf.DynamicMessage.parseFrom(
        ExportMetricsServiceRequest.getDescriptor(), request).toByteArray())
        .getResourceMetrics(0).getScopeMetrics(0).getMetrics(0);
    assertThat(points).as("protobuf-java's count").isEqualTo(parsed.getGauge().getDataPointsCount()
        + parsed.getSum().getDataPointsCount());
    return points;
  }

  private static ByteString lengthDelimited(int field, ByteString body) throws java.io.IOException {
    ByteString.Output out = ByteString.newOutput();
    com.google.protobuf.CodedOutputStream coded = com.google.protobuf.CodedOutputStream.newInstance(out);
    coded.writeBytes(field, body);
    coded.flush();
    return out.toByteString();
  }

  @Test
  void concatenatedRequestsAreOneRequestWithAllItems() throws Exception {
    ExportTraceServiceRequest a = OtlpSamples.traces("a", 2, 3);
    ExportTraceServiceRequest b = OtlpSamples.traces("b", 1, 4);

    OtlpRequest merged = Batching.merge(List.of(OtlpRequest.parse(Signal.TRACES, a.toByteArray()),
        OtlpRequest.parse(Signal.TRACES, b.toByteArray())));

    assertThat(merged.items()).isEqualTo(10);
    assertThat(ExportTraceServiceRequest.parseFrom(merged.bytes()))
        .isEqualTo(a.toBuilder().addAllResourceSpans(b.getResourceSpansList()).build());
  }

  @Test
  void splitsAtResourceBoundariesWithinTheMaximum() throws Exception {
    ExportTraceServiceRequest request = OtlpSamples.traces("s", 5, 3); // 15 spans in 5 resources
    OtlpRequest whole = OtlpRequest.parse(Signal.TRACES, request.toByteArray());

    List<OtlpRequest> parts = Batching.split(whole, 7);

    assertThat(parts).extracting(OtlpRequest::items).containsExactly(6, 6, 3);
    ExportTraceServiceRequest.Builder rebuilt = ExportTraceServiceRequest.newBuilder();
    for (OtlpRequest p : parts) {
      rebuilt.mergeFrom(p.bytes());
    }
    assertThat(rebuilt.build()).isEqualTo(request);
    assertThat(Batching.split(whole, 0)).containsExactly(whole);
  }

  @Test
  void splitsInsideAResourceThatAloneIsTooBig() throws Exception {
    ExportTraceServiceRequest traces = OtlpSamples.traces("big", 1, 7);
    List<OtlpRequest> parts = Batching.split(OtlpRequest.parse(Signal.TRACES, traces.toByteArray()), 3);

    assertThat(parts).extracting(OtlpRequest::items).containsExactly(3, 3, 1);
    List<String> names = new java.util.ArrayList<>();
    for (OtlpRequest p : parts) {
      ResourceSpans rs = ExportTraceServiceRequest.parseFrom(p.bytes()).getResourceSpans(0);
      assertThat(rs.getResource()).isEqualTo(traces.getResourceSpans(0).getResource());
      rs.getScopeSpans(0).getSpansList().forEach(s -> names.add(s.getName()));
      assertThat(OtlpWire.count(Signal.TRACES, p.bytes())).isEqualTo(p.items());
    }
    assertThat(names).containsExactly("big-0-0", "big-0-1", "big-0-2", "big-0-3", "big-0-4", "big-0-5", "big-0-6");

    List<OtlpRequest> logs = Batching.split(OtlpRequest.parse(Signal.LOGS, OtlpSamples.logs("l", 5).toByteArray()), 2);
    assertThat(logs).extracting(OtlpRequest::items).containsExactly(2, 2, 1);

    // metrics split between metrics: a gauge of 4 points and a histogram of 5, at most 6 per part
    List<OtlpRequest> metrics = Batching.split(OtlpRequest.parse(Signal.METRICS,
        OtlpSamples.metrics(4, 5).toByteArray()), 6);
    assertThat(metrics).extracting(OtlpRequest::items).containsExactly(4, 5);
  }

  @Test
  void retryPolicyBacksOffExponentiallyHonoursHintsAndGivesUp() {
    RetryPolicy p = new RetryPolicy(true, Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(2), 2, 0);

    assertThat(p.nextDelay(0, Duration.ZERO, null, () -> 0.5)).isEqualTo(Duration.ofMillis(100));
    assertThat(p.nextDelay(2, Duration.ZERO, null, () -> 0.5)).isEqualTo(Duration.ofMillis(400));
    assertThat(p.nextDelay(5, Duration.ZERO, null, () -> 0.5)).isEqualTo(Duration.ofMillis(500));
    assertThat(p.nextDelay(0, Duration.ZERO, Duration.ofSeconds(1), () -> 0.5)).isEqualTo(Duration.ofSeconds(1));
    assertThat(p.nextDelay(0, Duration.ofMillis(1950), null, () -> 0.5)).isNull();
    assertThat(new RetryPolicy(false, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ZERO, 1, 0)
        .nextDelay(0, Duration.ZERO, null, () -> 0.5)).isNull();
    RetryPolicy jittered = new RetryPolicy(true, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ZERO, 1.5, 0.5);
    assertThat(jittered.nextDelay(0, Duration.ofHours(5), null, () -> 0.0)).isEqualTo(Duration.ofMillis(50));
    assertThat(jittered.nextDelay(0, Duration.ofHours(5), null, () -> 0.999999)).isBetween(Duration.ofMillis(149),
        Duration.ofMillis(150));
  }
}
