package dev.tracelight.agent.grpcsender;

import java.io.IOException;

/**
 * Decodes HPACK's static Huffman code (RFC 7541, Appendix B). The code is canonical (codes of one length are
 * consecutive, in symbol order, and shorter codes come first), so the bit length of each symbol defines it entirely:
 * the table below lists the symbols of each length, and decoding walks one bit at a time, comparing against the first
 * code of the current length.
 */
final class Huffman {
  private static final int EOS = 256;
  private static final int MAX_LENGTH = 30;
  /** Symbols ordered by (code length, symbol). */
  private static final int[] SYMBOLS = new int[257];
  private static final int[] FIRST_CODE = new int[MAX_LENGTH + 1];
  private static final int[] FIRST_INDEX = new int[MAX_LENGTH + 1];
  private static final int[] COUNT = new int[MAX_LENGTH + 1];

  static {
    int[] lengths = new int[257];
    set(lengths, 5, "012aceiost");
    set(lengths, 6, " %-./3456789=A_bdfghlmnpru");
    set(lengths, 7, ":BCDEFGHIJKLMNOPQRSTUVWYjkqvwxyz");
    set(lengths, 8, "&*,;XZ");
    set(lengths, 10, "!\"()?");
    set(lengths, 11, "'+|");
    set(lengths, 12, "#>");
    set(lengths, 13, "$@[]~", 0);
    set(lengths, 14, "^}");
    set(lengths, 15, "<`{");
    set(lengths, 19, "\\", 195, 208);
    set(lengths, 20, "", 128, 130, 131, 162, 184, 194, 224, 226);
    set(lengths, 21, "", 153, 161, 167, 172, 176, 177, 179, 209, 216, 217, 227, 229, 230);
    set(lengths, 22, "", 129, 132, 133, 134, 136, 146, 154, 156, 160, 163, 164, 169, 170, 173, 178, 181, 185, 186,
        187, 189, 190, 196, 198, 228, 232, 233);
    set(lengths, 23, "", 1, 135, 137, 138, 139, 140, 141, 143, 147, 149, 150, 151, 152, 155, 157, 158, 165, 166, 168,
        174, 175, 180, 182, 183, 188, 191, 197, 231, 239);
    set(lengths, 24, "", 9, 142, 144, 145, 148, 159, 171, 206, 215, 225, 236, 237);
    set(lengths, 25, "", 199, 207, 234, 235);
    set(lengths, 26, "", 192, 193, 200, 201, 202, 205, 210, 213, 218, 219, 238, 240, 242, 243, 255);
    set(lengths, 27, "", 203, 204, 211, 212, 214, 221, 222, 223, 241, 244, 245, 246, 247, 248, 250, 251, 252, 253,
        254);
    set(lengths, 28, "", 2, 3, 4, 5, 6, 7, 8, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21, 23, 24, 25, 26, 27, 28, 29, 30,
        31, 127, 220, 249);
    set(lengths, 30, "", 10, 13, 22, EOS);
    int code = 0;
    int index = 0;
    for (int length = 1; length <= MAX_LENGTH; length++) {
      FIRST_CODE[length] = code;
      FIRST_INDEX[length] = index;
      for (int symbol = 0; symbol <= EOS; symbol++) {
        if (lengths[symbol] == length) {
          SYMBOLS[index++] = symbol;
          code++;
        }
      }
      COUNT[length] = index - FIRST_INDEX[length];
      code <<= 1;
    }
  }

  private Huffman() {}

  /** The octets of {@code in[from, to)} decoded, one char per octet. */
  static String decode(byte[] in, int from, int to) throws IOException {
    StringBuilder out = new StringBuilder((to - from) * 8 / 5);
    int code = 0;
    int length = 0;
    for (int i = from; i < to; i++) {
      int octet = in[i] & 0xFF;
      for (int bit = 7; bit >= 0; bit--) {
        code = (code << 1) | ((octet >>> bit) & 1);
        length++;
        int offset = code - FIRST_CODE[length];
        if (offset >= 0 && offset < COUNT[length]) {
          int symbol = SYMBOLS[FIRST_INDEX[length] + offset];
          if (symbol == EOS) {
            throw new IOException("HPACK: a Huffman-coded string contains EOS");
          }
          out.append((char) symbol);
          code = 0;
          length = 0;
        } else if (length == MAX_LENGTH) {
          throw new IOException("HPACK: invalid Huffman code");
        }
      }
    }
    // The last octet is padded with the most significant bits of EOS (all ones), fewer than eight of them.
    if (length > 7 || code != (1 << length) - 1) {
      throw new IOException("HPACK: invalid Huffman padding");
    }
    return out.toString();
  }

  private static void set(int[] lengths, int length, String chars, int... symbols) {
    for (int i = 0; i < chars.length(); i++) {
      lengths[chars.charAt(i)] = length;
    }
    for (int symbol : symbols) {
      lengths[symbol] = length;
    }
  }
}
