package dev.tracelight.agent.grpcsender;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.function.BiConsumer;

/**
 * Decodes HPACK header blocks (RFC 7541): the static table, the connection's dynamic table, integers, literal and
 * Huffman-coded strings. One instance per connection, fed every header block in the order received, since each block
 * may change the dynamic table the next one refers to.
 */
final class HpackDecoder {
  /** SETTINGS_HEADER_TABLE_SIZE: we never announce another value, so the peer may use at most the default. */
  static final int MAX_TABLE_SIZE = 4096;
  private static final int ENTRY_OVERHEAD = 32;
  private static final String[] STATIC = {
      ":authority", "", ":method", "GET", ":method", "POST", ":path", "/", ":path", "/index.html", ":scheme", "http",
      ":scheme", "https", ":status", "200", ":status", "204", ":status", "206", ":status", "304", ":status", "400",
      ":status", "404", ":status", "500", "accept-charset", "", "accept-encoding", "gzip, deflate", "accept-language", "",
      "accept-ranges", "", "accept", "", "access-control-allow-origin", "", "age", "", "allow", "", "authorization", "",
      "cache-control", "", "content-disposition", "", "content-encoding", "", "content-language", "", "content-length",
      "", "content-location", "", "content-range", "", "content-type", "", "cookie", "", "date", "", "etag", "",
      "expect", "", "expires", "", "from", "", "host", "", "if-match", "", "if-modified-since", "", "if-none-match", "",
      "if-range", "", "if-unmodified-since", "", "last-modified", "", "link", "", "location", "", "max-forwards", "",
      "proxy-authenticate", "", "proxy-authorization", "", "range", "", "referer", "", "refresh", "", "retry-after", "",
      "server", "", "set-cookie", "", "strict-transport-security", "", "transfer-encoding", "", "user-agent", "",
      "vary", "", "via", "", "www-authenticate", ""};
  private static final int STATIC_ENTRIES = STATIC.length / 2;

  /** Newest first, as HPACK numbers them; each entry is {name, value}. */
  private final ArrayDeque<String[]> dynamic = new ArrayDeque<>();
  private int tableSize;
  private int maxTableSize = MAX_TABLE_SIZE;
  private byte[] in;
  private int pos;
  private int end;

  /** Decodes {@code block[0, length)}, a complete header block, giving each field to {@code fields} in order. */
  void decode(byte[] block, int length, BiConsumer<String, String> fields) throws IOException {
    in = block;
    pos = 0;
    end = length;
    while (pos < end) {
      int first = next();
      if ((first & 0x80) != 0) {                       // indexed field
        String[] entry = entry(integer(first, 7));
        fields.accept(entry[0], entry[1]);
      } else if ((first & 0x40) != 0) {                // literal, added to the dynamic table
        String[] entry = literal(first, 6);
        add(entry);
        fields.accept(entry[0], entry[1]);
      } else if ((first & 0x20) != 0) {                // dynamic table size update
        int size = integer(first, 5);
        if (size > MAX_TABLE_SIZE) {
          throw new IOException("HPACK: table size update to " + size + " exceeds " + MAX_TABLE_SIZE);
        }
        maxTableSize = size;
        evictTo(size);
      } else {                                         // literal without indexing or never indexed
        String[] entry = literal(first, 4);
        fields.accept(entry[0], entry[1]);
      }
    }
    in = null;
  }

  int tableSize() {
    return tableSize;
  }

  private String[] literal(int first, int prefixBits) throws IOException {
    int index = integer(first, prefixBits);
    String name = index == 0 ? string() : entry(index)[0];
    return new String[] {name, string()};
  }

  private String[] entry(int index) throws IOException {
    if (index >= 1 && index <= STATIC_ENTRIES) {
      return new String[] {STATIC[2 * index - 2], STATIC[2 * index - 1]};
    }
    int dynamicIndex = index - STATIC_ENTRIES - 1;
    if (index == 0 || dynamicIndex >= dynamic.size()) {
      throw new IOException("HPACK: index " + index + " is in neither table (" + dynamic.size() + " dynamic entries)");
    }
    Iterator<String[]> entries = dynamic.iterator();
    for (int i = 0; i < dynamicIndex; i++) {
      entries.next();
    }
    return entries.next();
  }

  private void add(String[] entry) {
    int size = size(entry);
    if (size > maxTableSize) {
      // RFC 7541 4.4: an entry larger than the table empties it and is not added.
      evictTo(0);
      return;
    }
    evictTo(maxTableSize - size);
    dynamic.addFirst(entry);
    tableSize += size;
  }

  private void evictTo(int size) {
    while (tableSize > size) {
      tableSize -= size(dynamic.removeLast());
    }
  }

  private static int size(String[] entry) {
    return ENTRY_OVERHEAD + entry[0].length() + entry[1].length();
  }

  private int integer(int first, int prefixBits) throws IOException {
    int max = (1 << prefixBits) - 1;
    int value = first & max;
    if (value < max) {
      return value;
    }
    for (int shift = 0; shift <= 21; shift += 7) {
      int octet = next();
      value += (octet & 0x7F) << shift;
      if ((octet & 0x80) == 0) {
        return value;
      }
    }
    throw new IOException("HPACK: integer longer than 4 octets");
  }

  private String string() throws IOException {
    int first = next();
    int length = integer(first, 7);
    if (length > end - pos) {
      throw new IOException("HPACK: string of " + length + " octets runs past the header block");
    }
    String value = (first & 0x80) != 0
        ? Huffman.decode(in, pos, pos + length)
        : new String(in, pos, length, StandardCharsets.ISO_8859_1);
    pos += length;
    return value;
  }

  private int next() throws IOException {
    if (pos >= end) {
      throw new IOException("HPACK: header block ends inside a field");
    }
    return in[pos++] & 0xFF;
  }
}
