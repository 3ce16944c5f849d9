package ntio.host.shell;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;

/** How the shell reads bytes from a command line and prints the bytes a request returned. */
final class ShellData {

  private ShellData() {}

  /**
   * The bytes a hex word stands for: pairs of hex digits, optionally separated by blanks, colons
   * or dashes, optionally prefixed {@code 0x} ({@code 68656c6c6f}, {@code 68 65 6c}, {@code 0x0a}).
   *
   * @throws IllegalArgumentException if the word is not whole bytes of hex
   */
  static byte[] parseHex(String text) {
    String digits = text.strip();
    if (digits.regionMatches(true, 0, "0x", 0, 2)) {
      digits = digits.substring(2);
    }
    digits = digits.replaceAll("[\\s:-]", "");
    if (digits.length() % 2 != 0) {
      throw new IllegalArgumentException("odd number of hex digits in " + text);
    }
    try {
      return HexFormat.of().parseHex(digits);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not hex: " + text, e);
    }
  }

  /** A number written in hex ({@code 0x22E000}) or decimal ({@code 2285568}), as a 32-bit code. */
  static int parseCode(String text) {
    String lower = text.strip().toLowerCase(Locale.ROOT);
    try {
      long value = lower.startsWith("0x") ? Long.parseLong(lower.substring(2), 16) : Long.parseLong(lower);
      if (value < Integer.MIN_VALUE || value > 0xFFFFFFFFL) {
        throw new NumberFormatException();
      }
      return (int) value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a 32-bit number: " + text);
    }
  }

  /**
   * Whether the bytes print as text: valid UTF-8 (ASCII in practice) with no control characters
   * other than tab, carriage return and line feed.
   */
  static boolean isPrintable(byte[] data) {
    String text = new String(data, StandardCharsets.UTF_8);
    if (!java.util.Arrays.equals(text.getBytes(StandardCharsets.UTF_8), data)) {
      return false;
    }
    return text.codePoints().allMatch(c -> c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c != 0x7F));
  }

  /**
   * Prints data: as text when it is printable (followed by a line break if it has none of its own),
   * else as a hex dump with an ASCII column, sixteen bytes a line; {@code (0 bytes)} when empty.
   */
  static void print(PrintWriter out, byte[] data) {
    if (data.length == 0) {
      out.println("(0 bytes)");
    } else if (isPrintable(data)) {
      String text = new String(data, StandardCharsets.UTF_8);
      out.print(text);
      if (!text.endsWith("\n")) {
        out.println();
      }
    } else {
      out.print(hexDump(data));
    }
    out.flush();
  }

  /** {@code 0000  68 65 6c 6c 6f 00  hello.}: offset, the bytes, and the printable ones. */
  static String hexDump(byte[] data) {
    StringBuilder dump = new StringBuilder();
    for (int line = 0; line < data.length; line += 16) {
      int end = Math.min(line + 16, data.length);
      dump.append(String.format(Locale.ROOT, "%04x ", line));
      for (int i = line; i < line + 16; i++) {
        dump.append(i < end ? String.format(Locale.ROOT, " %02x", data[i] & 0xFF) : "   ");
      }
      dump.append("  ");
      for (int i = line; i < end; i++) {
        int b = data[i] & 0xFF;
        dump.append(b >= 0x20 && b < 0x7F ? (char) b : '.');
      }
      dump.append('\n');
    }
    return dump.toString();
  }

  /** The UTF-8 bytes of a text argument. */
  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
