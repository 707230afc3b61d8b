package dev.tracelight.agent.grpcsender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Headers;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2HeadersEncoder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Netty's HPACK encoder and decoder (as grpc-java uses them) are the reference our decoder and encoder must meet. */
class HpackDecoderTest {
  private static final String[] STATIC_NAMES = {":authority", ":method", ":path", ":scheme", ":status",
      "accept-charset", "accept-encoding", "accept-language", "accept-ranges", "accept", "access-control-allow-origin",
      "age", "allow", "authorization", "cache-control", "content-disposition", "content-encoding", "content-language",
      "content-length", "content-location", "content-range", "content-type", "cookie", "date", "etag", "expect",
      "expires", "from", "host", "if-match", "if-modified-since", "if-none-match", "if-range", "if-unmodified-since",
      "last-modified", "link", "location", "max-forwards", "proxy-authenticate", "proxy-authorization", "range",
      "referer", "refresh", "retry-after", "server", "set-cookie", "strict-transport-security", "transfer-encoding",
      "user-agent", "vary", "via", "www-authenticate"};

  @Test
  void decodesHuffmanCodedFieldsAndTheDynamicTableAsNettyWritesThem() throws Exception {
    // huffCodeThreshold 0: every string Netty can shorten is Huffman-coded; its dynamic table is on by default.
    DefaultHttp2HeadersEncoder netty =
        new DefaultHttp2HeadersEncoder(Http2HeadersEncoder.NEVER_SENSITIVE, false, 16, 0);
    HpackDecoder decoder = new HpackDecoder();
    Random random = new Random(42);
    for (int block = 0; block < 200; block++) {
      Http2Headers headers = new DefaultHttp2Headers(false);
      headers.status(block % 2 == 0 ? "200" : "503");
      headers.add("content-type", "application/grpc");
      headers.add("grpc-status", String.valueOf(block % 17));
      headers.add("grpc-message", "message " + (block % 5) + " with %20 and ~ and |");
      // Every octet value, so every Huffman code is exercised; and new names that push old entries out of the table.
      headers.add("x-octets-" + block, randomOctets(random, 1 + random.nextInt(300)));
      headers.add(STATIC_NAMES[block % STATIC_NAMES.length].startsWith(":") ? "x-static" : STATIC_NAMES[block
          % STATIC_NAMES.length], "v" + block);
      List<String> expected = new ArrayList<>();
      headers.forEach(field -> {
        expected.add(field.getKey().toString());
        expected.add(field.getValue().toString());
      });

      List<String> decoded = new ArrayList<>();
      ByteBuf buffer = Unpooled.buffer();
      netty.encodeHeaders(3, headers, buffer);
      byte[] bytes = new byte[buffer.readableBytes()];
      buffer.readBytes(bytes);
      decoder.decode(bytes, bytes.length, (name, value) -> {
        decoded.add(name);
        decoded.add(value);
      });

      assertThat(decoded).as("block %d", block).isEqualTo(expected);
    }
    assertThat(decoder.tableSize()).isBetween(1, HpackDecoder.MAX_TABLE_SIZE);
  }

  @Test
  void decodesTheRfcHuffmanRequestExample() throws Exception {
    // RFC 7541, C.4.1: GET http://www.example.com/ with the authority Huffman-coded and added to the table.
    byte[] block = hex("828684418cf1e3c2e5f23a6ba0ab90f4ff");
    HpackDecoder decoder = new HpackDecoder();
    List<String> decoded = new ArrayList<>();
    decoder.decode(block, block.length, (name, value) -> decoded.add(name + ": " + value));

    assertThat(decoded).containsExactly(":method: GET", ":scheme: http", ":path: /", ":authority: www.example.com");
    assertThat(decoder.tableSize()).isEqualTo(57);
  }

  @Test
  void refusesAnIndexThatIsInNeitherTable() {
    byte[] block = {(byte) 0xBE};                   // indexed field 62: the dynamic table is empty
    assertThatThrownBy(() -> new HpackDecoder().decode(block, 1, (name, value) -> { }))
        .isInstanceOf(IOException.class)
        .hasMessage("HPACK: index 62 is in neither table (0 dynamic entries)");
  }

  @Test
  void nettyDecodesWhatOurEncoderWrites() throws Exception {
    List<String> fields = List.of(":method", "POST", ":scheme", "http", ":authority", "127.0.0.1:4317", ":path",
        "/opentelemetry.proto.collector.trace.v1.TraceService/Export", "content-type", "application/grpc",
        "x-long", "v".repeat(5000));
    byte[] block = HpackEncoder.encode(fields);

    Http2Headers decoded = new DefaultHttp2HeadersDecoder(false, 16_384)
        .decodeHeaders(1, Unpooled.wrappedBuffer(block));

    List<String> actual = new ArrayList<>();
    for (Map.Entry<CharSequence, CharSequence> field : decoded) {
      actual.add(field.getKey().toString());
      actual.add(field.getValue().toString());
    }
    assertThat(actual).isEqualTo(fields);
  }

  private static String randomOctets(Random random, int length) {
    StringBuilder value = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      value.append((char) random.nextInt(256));
    }
    return value.toString();
  }

  private static byte[] hex(String hex) {
    byte[] bytes = new byte[hex.length() / 2];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
    }
    return bytes;
  }
}
