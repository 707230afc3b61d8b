package dev.tracelight.collector.fuzz;

import com.google.protobuf.CodedOutputStream;
import dev.tracelight.collector.OtlpSamples;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Writes the committed corpus of nasty inputs (src/test/resources/dev/tracelight/collector/fuzz/nasty): file name =
 * expected HTTP status, signal, what it is; {@code .pb} protobuf, {@code .json} OTLP/JSON, {@code .gz} sent gzip-encoded.
 * The protobuf and JSON ones are also the fuzz tests' seeds (first byte: the signal). Rerun after changing it:
 * {@code java -cp <test class path> dev.tracelight.collector.fuzz.NastyCorpus src/test/resources}.
 */
public final class NastyCorpus {
  private NastyCorpus() {}

  public static void main(String[] args) throws IOException {
    Path resources = Path.of(args.length > 0 ? args[0] : "src/test/resources");
    Path pkg = resources.resolve("dev/tracelight/collector/fuzz");
    Map<String, byte[]> files = files();
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      Files.createDirectories(pkg.resolve("nasty"));
      Files.write(pkg.resolve("nasty").resolve(f.getKey()), f.getValue());
      String name = f.getKey();
      if (name.endsWith(".gz")) {
        continue;
      }
      byte signal = (byte) (name.contains("-traces-") ? 0 : name.contains("-metrics-") ? 1 : 2); // Signal order
      byte[] seed = new byte[f.getValue().length + 1];
      seed[0] = signal;
      System.arraycopy(f.getValue(), 0, seed, 1, f.getValue().length);
      String dir = name.endsWith(".json") ? "OtlpJsonFuzzTestInputs/jsonBecomesARequestTheWireWalkAcceptsOrIsRefused"
          : "OtlpWireFuzzTestInputs/wireWalkAcceptsOnlyWhatProtobufParsesWithTheSameItemCount";
      Files.createDirectories(pkg.resolve(dir));
      Files.write(pkg.resolve(dir).resolve(name), seed);
    }
  }

  static Map<String, byte[]> files() throws IOException {
    Map<String, byte[]> f = new LinkedHashMap<>();
    byte[] good = OtlpSamples.traces("seed", 2, 3).toByteArray();
    f.put("200-traces-good.pb", good);
    f.put("400-traces-truncated.pb", Arrays.copyOf(good, good.length / 2 + 7)); // inside the second resource entry
    f.put("400-traces-huge-declared-length.pb", new byte[] {0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
        0x07, 0x12, 0x00});
    f.put("400-traces-negative-length.pb", bytes(out -> {
      out.writeTag(1, 2);
      out.writeInt32NoTag(-1);
      out.writeRawBytes(new byte[] {1, 2, 3});
    }));
    f.put("400-traces-end-group-tag.pb", new byte[] {0x0c});
    f.put("400-traces-bad-span-id-length.pb", bytes(out -> {
      byte[] span = bytes(s -> s.writeByteArray(2, new byte[7]));
      out.writeByteArray(1, bytes(r -> r.writeByteArray(2, bytes(sc -> sc.writeByteArray(2, span)))));
    }));
    f.put("400-traces-invalid-utf8-span-name.pb", traceWithSpan(bytes(s -> s.writeByteArray(5,
        new byte[] {(byte) 0xc3, 0x28}))));
    f.put("400-traces-deep-attribute-nesting.pb", traceWithSpan(bytes(s -> s.writeByteArray(9, deepKeyValue(10_000)))));
    byte[] random = new byte[4096];
    new Random(10).nextBytes(random);
    f.put("400-traces-random-bytes.pb", random);
    byte[] badValue = bytes(kv -> {
      kv.writeString(1, "k");
      kv.writeByteArray(2, bytes(v -> v.writeByteArray(1, new byte[] {(byte) 0xff, (byte) 0xfe})));
    });
    f.put("400-logs-invalid-utf8-attribute.pb", bytes(out -> out.writeByteArray(1, bytes(r -> r.writeByteArray(2,
        bytes(sc -> sc.writeByteArray(2, bytes(l -> l.writeByteArray(6, badValue)))))))));
    AnyValue.Builder body = AnyValue.newBuilder().setStringValue("bottom");
    for (int i = 0; i < 200; i++) {
      body = AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(body));
    }
    AnyValue deepBody = body.build();
    f.put("400-logs-deep-body-nesting.pb", bytes(out -> out.writeByteArray(1, bytes(r -> r.writeByteArray(2,
        bytes(sc -> sc.writeByteArray(2, bytes(l -> l.writeByteArray(5, deepBody.toByteArray())))))))));
    f.put("413-traces-gzip-bomb.pb.gz", gzip(new byte[64 << 20]));
    byte[] gz = gzip(good);
    f.put("400-traces-truncated-gzip.pb.gz", Arrays.copyOf(gz, gz.length - 12));
    String span = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"%s\",\"spanId\":\"%s\",\"name\":\"x\"}]}]}]}";
    f.put("200-traces-good.json", utf8(span.formatted("5b8efff798038103d269b633813fc60c", "eee19b7ec3c1b174")));
    f.put("400-traces-non-hex-trace-id.json", utf8(span.formatted("zz8efff798038103d269b633813fc60c",
        "eee19b7ec3c1b174")));
    f.put("400-traces-short-span-id.json", utf8(span.formatted("5b8efff798038103d269b633813fc60c", "abc")));
    f.put("400-traces-base64-trace-id.json", utf8(span.formatted("W47/95gDgQPSabYzgT/GDA==", "eee19b7ec3c1b174")));
    f.put("400-traces-deep-nesting.json", utf8("{\"resourceSpans\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}"));
    byte[] badUtf8 = utf8(span.formatted("5b8efff798038103d269b633813fc60c", "eee19b7ec3c1b174").replace("\"x\"",
        "\"\u0001\""));
    badUtf8[new String(badUtf8, StandardCharsets.ISO_8859_1).indexOf('\u0001')] = (byte) 0xff;
    f.put("400-traces-invalid-utf8.json", badUtf8);
    f.put("400-metrics-huge-number.json", utf8("{\"resourceMetrics\":[{\"scopeMetrics\":[{\"metrics\":[{\"name\":\"m\","
        + "\"gauge\":{\"dataPoints\":[{\"timeUnixNano\":\"99999999999999999999999\",\"asInt\":\"1\"}]}}]}]}]}"));
    f.put("400-logs-not-an-object.json", utf8("[]"));
    f.put("400-logs-truncated.json", utf8("{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"body\":{\"stri"));
    return f;
  }

  private static byte[] traceWithSpan(byte[] span) throws IOException {
    return bytes(out -> out.writeByteArray(1, bytes(r -> r.writeByteArray(2, bytes(sc -> sc.writeByteArray(2,
        span))))));
  }

  /** KeyValue{key: "k", value: AnyValue{kvlist: KeyValueList{values: KeyValue{...}}}}, levels deep. */
  private static byte[] deepKeyValue(int levels) throws IOException {
    byte[] kv = bytes(out -> out.writeString(1, "k"));
    for (int i = 0; i < levels; i++) {
      byte[] inner = kv;
      byte[] list = bytes(out -> out.writeByteArray(1, inner));
      byte[] any = bytes(out -> out.writeByteArray(6, list));
      kv = bytes(out -> {
        out.writeString(1, "k");
        out.writeByteArray(2, any);
      });
    }
    return kv;
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(data);
    }
    return out.toByteArray();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] bytes(Writer w) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(b);
    w.write(out);
    out.flush();
    return b.toByteArray();
  }

  @FunctionalInterface
  private interface Writer {
    void write(CodedOutputStream out) throws IOException;
  }
}
