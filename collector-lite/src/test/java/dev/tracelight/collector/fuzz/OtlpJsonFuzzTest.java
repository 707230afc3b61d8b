package dev.tracelight.collector.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tracelight.collector.otlp.OtlpJson;
import dev.tracelight.collector.pipeline.InvalidOtlpException;
import dev.tracelight.collector.pipeline.OtlpWire;
import dev.tracelight.collector.pipeline.Signal;
import java.util.Arrays;

/**
 * OTLP/JSON decoding: any body either is refused with InvalidOtlpException (a 400) or becomes protobuf bytes that the
 * wire walk and protobuf-java both accept with the same item count. Never another exception, never a hang (deep
 * nesting, huge numbers, bad hex ids, invalid UTF-8). The first byte picks the signal. Seeds: {@code OtlpJsonFuzzTestInputs/}.
 */
class OtlpJsonFuzzTest {

  @FuzzTest(maxDuration = "8s")
  void jsonBecomesARequestTheWireWalkAcceptsOrIsRefused(byte[] data) throws InvalidOtlpException {
    if (data.length == 0) {
      return;
    }
    Signal signal = Signal.values()[(data[0] & 0xff) % 3];
    byte[] proto;
    try {
      proto = OtlpJson.toProto(signal, Arrays.copyOfRange(data, 1, data.length));
    } catch (InvalidOtlpException e) {
      return;
    }
    assertThat(OtlpWire.count(signal, proto)).isEqualTo(OtlpWireFuzzTest.protobufItems(signal, proto));
  }
}
