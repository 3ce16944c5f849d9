package ntio.kernel.registry;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import ntio.api.KeyInfo;
import ntio.api.ValueResult;
import ntio.ddk.NtStatus;
import ntio.ddk.RegType;
import ntio.ddk.RegValue;

/**
 * Writes a subtree as the text of a {@code .reg} file, the way regedit and {@code reg export} write
 * it: the header, then for each key a blank line, {@code [path]} and its values one per line,
 * subkeys after their parent in enumeration order, and a final blank line; lines end in CR LF.
 *
 * <p>Every value is written in the one form that reads back to exactly its bytes: a {@code REG_SZ}
 * as {@code "text"} only if its bytes are a clean NUL-terminated UTF-16 string (even length, one
 * NUL, at the end, no lone surrogate), else as {@code hex(1):}; a {@code REG_DWORD} as {@code
 * dword:} only if it has exactly four bytes; everything else as {@code hex:} ({@code REG_BINARY})
 * or {@code hex(N):}. Hex lines wrap as regedit wraps them: a {@code \} after the comma that
 * reaches column 77 or beyond, and a continuation line indented by two blanks.
 */
final class RegFileWriter {

  static final String CRLF = "\r\n";

  /** regedit's wrap column for hex data ({@code MAX_HEX_CHARS}). */
  private static final int MAX_HEX_CHARS = 77;

  /** Why a subtree cannot be written, with the status to report. */
  static final class Unwritable extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient NtStatus status;

    Unwritable(NtStatus status, String message) {
      super(message, null, false, false);
      this.status = status;
    }

    NtStatus status() {
      return status;
    }
  }

  private final Hive hive;
  private final StringBuilder out = new StringBuilder();

  private RegFileWriter(Hive hive) {
    this.hive = hive;
  }

  /**
   * The text for the key and its subtree.
   *
   * @throws Unwritable if the key lies outside {@code HKEY_LOCAL_MACHINE} and {@code HKEY_USERS} or
   *     a name cannot be written
   */
  static String write(Hive hive, KeyInfo key) throws Unwritable {
    String regPath = regPath(key.path());
    RegFileWriter writer = new RegFileWriter(hive);
    writer.out.append(RegFileParser.HEADER).append(CRLF);
    writer.writeTree(key.keyId(), regPath, key.isVolatile());
    writer.out.append(CRLF);
    return writer.out.toString();
  }

  /**
   * {@code \REGISTRY\MACHINE\X} as {@code HKEY_LOCAL_MACHINE\X}, {@code \REGISTRY\USER} likewise.
   */
  static String regPath(String path) throws Unwritable {
    String upcased = KeyNames.upcase(path);
    for (String[] root :
        new String[][] {
          {"\\REGISTRY\\MACHINE", "HKEY_LOCAL_MACHINE"}, {"\\REGISTRY\\USER", "HKEY_USERS"}
        }) {
      if (upcased.equals(root[0]) || upcased.startsWith(root[0] + "\\")) {
        return root[1] + path.substring(root[0].length());
      }
    }
    throw new Unwritable(
        NtStatus.STATUS_INVALID_PARAMETER,
        "key "
            + path
            + " is outside HKEY_LOCAL_MACHINE (\\REGISTRY\\MACHINE) and HKEY_USERS"
            + " (\\REGISTRY\\USER)");
  }

  /** A key being written: its id, its path and the index of the next subkey to look at. */
  private static final class Frame {
    final long keyId;
    final String regPath;
    int nextSubkey;

    Frame(long keyId, String regPath) {
      this.keyId = keyId;
      this.regPath = regPath;
    }
  }

  /**
   * Writes the key and its subtree, each key before its subkeys, subkeys in enumeration order.
   * Depth first with a stack of its own, not the thread's: a tree may be deeper than any thread's
   * stack (a hive written before the depth limit, or by another tool).
   */
  private void writeTree(long keyId, String regPath, boolean exportingVolatile) throws Unwritable {
    Deque<Frame> stack = new ArrayDeque<>();
    stack.push(writeKey(keyId, regPath));
    while (!stack.isEmpty()) {
      Frame frame = stack.peek();
      EnumeratedKey child = hive.enumerateKey(frame.keyId, frame.nextSubkey++);
      if (child.status().equals(NtStatus.STATUS_NO_MORE_ENTRIES)) {
        stack.pop();
        continue;
      }
      requireSuccess(child.status(), frame.regPath);
      // A .reg file can say neither REG_OPTION_CREATE_LINK nor REG_OPTION_VOLATILE.
      if (Hive.isVolatileId(child.keyId()) != exportingVolatile || hive.isLink(child.keyId())) {
        continue;
      }
      stack.push(writeKey(child.keyId(), frame.regPath + "\\" + child.name()));
    }
  }

  /** Writes the key's line and its values; the frame that goes on to its subkeys. */
  private Frame writeKey(long keyId, String regPath) throws Unwritable {
    checkWritable(regPath, "key name", true);
    out.append(CRLF).append('[').append(regPath).append(']').append(CRLF);
    for (int i = 0; ; i++) {
      ValueResult value = hive.enumerateValue(keyId, i);
      if (value.status().equals(NtStatus.STATUS_NO_MORE_ENTRIES)) {
        break;
      }
      requireSuccess(value.status(), regPath);
      writeValue(value.value(), regPath);
    }
    return new Frame(keyId, regPath);
  }

  private void writeValue(RegValue value, String regPath) throws Unwritable {
    int lineLength;
    if (value.name().isEmpty()) {
      out.append("@=");
      lineLength = 2;
    } else {
      checkWritable(value.name(), "value name in " + regPath, false);
      String name = '"' + escape(value.name()) + "\"=";
      out.append(name);
      lineLength = name.length();
    }
    byte[] data = value.data();
    String text = value.type() == RegType.REG_SZ ? cleanString(data) : null;
    if (text != null) {
      out.append('"').append(escape(text)).append('"');
    } else if (value.type() == RegType.REG_DWORD && data.length == 4) {
      out.append(String.format(Locale.ROOT, "dword:%08x", value.dwordValue().getAsInt()));
    } else {
      String prefix =
          value.type() == RegType.REG_BINARY
              ? "hex:"
              : "hex(" + Integer.toHexString(value.type()) + "):";
      out.append(prefix);
      lineLength += prefix.length();
      for (int i = 0; i < data.length; i++) {
        out.append(Character.forDigit((data[i] >> 4) & 0xF, 16))
            .append(Character.forDigit(data[i] & 0xF, 16));
        if (i == data.length - 1) {
          break;
        }
        out.append(',');
        lineLength += 3;
        if (lineLength >= MAX_HEX_CHARS) {
          out.append('\\').append(CRLF).append("  ");
          lineLength = 2;
        }
      }
    }
    out.append(CRLF);
  }

  /**
   * The text of a REG_SZ whose bytes are exactly that text in UTF-16LE plus one NUL; {@code null}
   * for anything else.
   */
  static String cleanString(byte[] data) {
    if (data.length < 2 || data.length % 2 != 0) {
      return null;
    }
    String all;
    try {
      all =
          StandardCharsets.UTF_16LE
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(data))
              .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
    int nul = all.indexOf('\0');
    return nul == all.length() - 1 ? all.substring(0, nul) : null;
  }

  static String escape(String text) {
    StringBuilder escaped = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\\' -> escaped.append("\\\\");
        case '"' -> escaped.append("\\\"");
        case '\r' -> escaped.append("\\r");
        case '\n' -> escaped.append("\\n");
        default -> escaped.append(c);
      }
    }
    return escaped.toString();
  }

  /**
   * A name must survive the trip through a text file: no NUL and no lone surrogate; a key name,
   * which has no escapes, also no line break.
   */
  private static void checkWritable(String name, String what, boolean isKey) throws Unwritable {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean lone =
          (Character.isHighSurrogate(c)
                  && (i + 1 >= name.length() || !Character.isLowSurrogate(name.charAt(i + 1))))
              || (Character.isLowSurrogate(c)
                  && (i == 0 || !Character.isHighSurrogate(name.charAt(i - 1))));
      if (c == '\0' || lone || (isKey && (c == '\r' || c == '\n'))) {
        throw new Unwritable(
            NtStatus.STATUS_INVALID_PARAMETER,
            what
                + " '"
                + name.replace("\0", "\\0").replace("\r", "\\r").replace("\n", "\\n")
                + "' has a character a .reg file cannot hold (U+"
                + String.format("%04X", (int) c)
                + ")");
      }
    }
  }

  private static void requireSuccess(NtStatus status, String where) throws Unwritable {
    if (!status.isSuccess()) {
      throw new Unwritable(status, "reading " + where + " failed: " + status);
    }
  }
}
