package dev.tracelight.collector.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.tracelight.collector.pipeline.InvalidOtlpException;
import dev.tracelight.collector.pipeline.OtlpWire;
import dev.tracelight.collector.pipeline.Signal;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;

/**
 * The wire walk against protobuf-java's own parser: whatever the walk accepts, a backend's parser must accept too and
 * find the same number of items (else a request answered 200 could be rejected at export, with the good requests
 * batched with it); anything else it refuses with InvalidOtlpException, never another exception.
 * The first byte picks the signal. Seeds: {@code OtlpWireFuzzTestInputs/}.
 */
class OtlpWireFuzzTest {

  @FuzzTest(maxDuration = "8s")
  void wireWalkAcceptsOnlyWhatProtobufParsesWithTheSameItemCount(byte[] data) {
    if (data.length == 0) {
      return;
    }
    Signal signal = Signal.values()[(data[0] & 0xff) % 3];
    byte[] body = java.util.Arrays.copyOfRange(data, 1, data.length);
    int items;
    try {
      items = OtlpWire.count(signal, body);
    } catch (InvalidOtlpException e) {
      return;
    }
    assertThat(items).as("items of an accepted %s request", signal).isEqualTo(protobufItems(signal, body));
  }

  static int protobufItems(Signal signal, byte[] body) {
    try {
      // The generated parser decides acceptance (it checks UTF-8). The count comes from a DynamicMessage parse, which
      // keeps only the last oneof member seen as the protobuf spec says; the generated parser revives a replaced
      // metric data field's points when that field comes back (gauge, sum, gauge), where Go backends do not.
      Descriptors.Descriptor type = switch (signal) {
        case TRACES -> ExportTraceServiceRequest.parseFrom(body).getDescriptorForType();
        case LOGS -> ExportLogsServiceRequest.parseFrom(body).getDescriptorForType();
        case METRICS -> ExportMetricsServiceRequest.parseFrom(body).getDescriptorForType();
      };
      body = DynamicMessage.parseFrom(type, body).toByteArray();
      return switch (signal) {
        case TRACES -> ExportTraceServiceRequest.parseFrom(body).getResourceSpansList().stream()
            .flatMap(r -> r.getScopeSpansList().stream()).mapToInt(s -> s.getSpansCount()).sum();
        case LOGS -> ExportLogsServiceRequest.parseFrom(body).getResourceLogsList().stream()
            .flatMap(r -> r.getScopeLogsList().stream()).mapToInt(s -> s.getLogRecordsCount()).sum();
        case METRICS -> ExportMetricsServiceRequest.parseFrom(body).getResourceMetricsList().stream()
            .flatMap(r -> r.getScopeMetricsList().stream()).flatMap(s -> s.getMetricsList().stream())
            .mapToInt(OtlpWireFuzzTest::points).sum();
      };
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("the wire walk accepted a " + signal + " request that protobuf-java rejects: "
          + e.getMessage(), e);
    }
  }

  private static int points(Metric m) {
    // at most one is set: the last data field on the wire
    return m.getGauge().getDataPointsCount() + m.getSum().getDataPointsCount() + m.getHistogram().getDataPointsCount()
        + m.getExponentialHistogram().getDataPointsCount() + m.getSummary().getDataPointsCount();
  }
}
