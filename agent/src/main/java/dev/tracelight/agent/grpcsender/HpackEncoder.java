package dev.tracelight.agent.grpcsender;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encodes request headers as HPACK literals without indexing and without Huffman coding (RFC 7541 6.2.2): always valid,
 * and it leaves the peer's dynamic table, which we would otherwise have to mirror, untouched. A gRPC export request
 * has a dozen short headers, so compression would save a few hundred bytes per batch at most.
 */
final class HpackEncoder {
  private HpackEncoder() {}

  /** {@code namesAndValues}: name, value, name, value…; names must already be lower case (HTTP/2). */
  static byte[] encode(List<String> namesAndValues) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    for (int i = 0; i < namesAndValues.size(); i += 2) {
      out.write(0);                                   // literal without indexing, new name
      string(out, namesAndValues.get(i));
      string(out, namesAndValues.get(i + 1));
    }
    return out.toByteArray();
  }

  private static void string(ByteArrayOutputStream out, String value) {
    byte[] octets = value.getBytes(StandardCharsets.ISO_8859_1);
    integer(out, octets.length, 7, 0);               // H = 0: not Huffman-coded
    out.write(octets, 0, octets.length);
  }

  private static void integer(ByteArrayOutputStream out, int value, int prefixBits, int flags) {
    int max = (1 << prefixBits) - 1;
    if (value < max) {
      out.write(flags | value);
      return;
    }
    out.write(flags | max);
    int rest = value - max;
    while (rest >= 0x80) {
      out.write((rest & 0x7F) | 0x80);
      rest >>>= 7;
    }
    out.write(rest);
  }
}
