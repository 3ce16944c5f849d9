package ntio.kernel.registry;

import ntio.ddk.RegValue;
import ntio.ddk.RegType;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the text of a {@code .reg} file ("Windows Registry Editor Version 5.00") into steps,
 * validating all of it first: the first error stops the parse with its line and a message, and no
 * step is returned.
 *
 * <p>Grammar, line by line (leading blanks and tabs are ignored, as regedit ignores them):
 *
 * <pre>
 * line 1     Windows Registry Editor Version 5.00
 * blank      (nothing)
 * comment    ; anything
 * key        [ROOT\path]          ROOT: HKEY_LOCAL_MACHINE, HKLM, HKEY_USERS, HKU (any case)
 * deletion   [-ROOT\path]
 * value      NAME=DATA            NAME: "text" or @ (the default value)
 * DATA       "text"               REG_SZ; escapes \\ \" \r \n
 *            dword:XXXXXXXX       REG_DWORD, 1 to 8 hex digits
 *            hex:XX,XX,...        REG_BINARY
 *            hex(N):XX,XX,...     type N (hex); a line ending in \ continues on the next
 *            -                    delete the value
 * </pre>
 *
 * A value's data may be followed by blanks and a {@code ;} comment.
 */
final class RegFileParser {

  static final String HEADER = "Windows Registry Editor Version 5.00";

  /** The outcome: the steps, or the first error. */
  record Parsed(List<RegFileOp> ops, int errorLine, String error) {
    boolean ok() {
      return error.isEmpty();
    }
  }

  private static final class ParseError extends Exception {
    private static final long serialVersionUID = 1L;
    final int line;

    ParseError(int line, String message) {
      super(message, null, false, false);
      this.line = line;
    }
  }

  private enum Current {
    NONE,
    KEY,
    DELETED_KEY
  }

  private final List<String> lines;
  private final List<RegFileOp> ops = new ArrayList<>();
  private Current current = Current.NONE;

  // The cursor: physical line index and position in it.
  private int index;
  private String line = "";
  private int pos;

  private RegFileParser(List<String> lines) {
    this.lines = lines;
  }

  static Parsed parse(String text) {
    RegFileParser parser = new RegFileParser(splitLines(text));
    try {
      parser.parseAll();
      return new Parsed(List.copyOf(parser.ops), 0, "");
    } catch (ParseError e) {
      return new Parsed(List.of(), e.line, e.getMessage());
    }
  }

  /** Lines split at {@code \n}, each without its {@code \r\n} or {@code \n}. */
  static List<String> splitLines(String text) {
    List<String> result = new ArrayList<>();
    int start = 0;
    while (start <= text.length()) {
      int end = text.indexOf('\n', start);
      if (end < 0) {
        if (start < text.length()) {
          result.add(stripCr(text.substring(start)));
        }
        break;
      }
      result.add(stripCr(text.substring(start, end)));
      start = end + 1;
    }
    return result;
  }

  private static String stripCr(String s) {
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }

  private void parseAll() throws ParseError {
    if (lines.isEmpty()) {
      throw new ParseError(1, "the file is empty; expected '" + HEADER + "'");
    }
    String header = stripTrailing(lines.get(0));
    if (!header.equals(HEADER)) {
      throw new ParseError(
          1,
          header.equals("REGEDIT4")
              ? "REGEDIT4 files are not supported; expected '" + HEADER + "'"
              : "bad header '" + abbreviate(header) + "'; expected '" + HEADER + "'");
    }
    for (index = 1; index < lines.size(); index++) {
      line = lines.get(index);
      pos = 0;
      skipBlanks();
      if (atEnd() || peek() == ';') {
        continue;
      }
      char c = peek();
      if (c == '[') {
        parseKey();
      } else if (c == '"' || c == '@') {
        parseValue();
      } else {
        throw error(
            "unexpected text '"
                + abbreviate(line.substring(pos))
                + "'; expected a [key], a \"value\"= line or a ; comment");
      }
    }
  }

  private void parseKey() throws ParseError {
    String text = stripTrailing(line.substring(pos));
    int close = text.lastIndexOf(']');
    if (close < 0) {
      throw error("missing ']' at the end of the key name");
    }
    if (close != text.length() - 1) {
      throw error("unexpected text after the key name's ']': '" + text.substring(close + 1) + "'");
    }
    String inner = text.substring(1, close);
    boolean delete = inner.startsWith("-");
    if (delete) {
      inner = inner.substring(1);
    }
    if (inner.isEmpty()) {
      throw error("empty key name");
    }
    String[] parts = inner.split("\\\\", -1);
    List<String> path = new ArrayList<>();
    String root = parts[0].toUpperCase(Locale.ROOT);
    switch (root) {
      case "HKEY_LOCAL_MACHINE", "HKLM" -> path.add("MACHINE");
      case "HKEY_USERS", "HKU" -> path.add("USER");
      default ->
          throw error(
              "unknown root key '"
                  + abbreviate(parts[0])
                  + "'; expected HKEY_LOCAL_MACHINE (HKLM) or HKEY_USERS (HKU)");
    }
    for (int i = 1; i < parts.length; i++) {
      String part = parts[i];
      if (part.isEmpty()) {
        throw error("empty key name component (a doubled or trailing '\\')");
      }
      if (part.length() > KeyNames.MAX_KEY_NAME_LENGTH) {
        throw error(
            "key name component of "
                + part.length()
                + " characters; the limit is "
                + KeyNames.MAX_KEY_NAME_LENGTH);
      }
      path.add(part);
    }
    if (delete && path.size() == 1) {
      throw error("cannot delete the root key " + parts[0]);
    }
    int lineNumber = index + 1;
    ops.add(
        delete
            ? new RegFileOp.DeleteKey(lineNumber, List.copyOf(path))
            : new RegFileOp.OpenKey(lineNumber, List.copyOf(path)));
    current = delete ? Current.DELETED_KEY : Current.KEY;
  }

  private void parseValue() throws ParseError {
    int lineNumber = index + 1;
    if (current == Current.NONE) {
      throw error("value line before any [key] header");
    }
    if (current == Current.DELETED_KEY) {
      throw error("value line under a [-key] deletion header");
    }
    String name;
    if (peek() == '@') {
      pos++;
      name = "";
    } else {
      name = quoted();
      if (name.length() > KeyNames.MAX_VALUE_NAME_LENGTH) {
        throw error(
            "value name of "
                + name.length()
                + " characters; the limit is "
                + KeyNames.MAX_VALUE_NAME_LENGTH);
      }
    }
    skipBlanks();
    if (atEnd() || peek() != '=') {
      throw error("expected '=' after the value name");
    }
    pos++;
    skipBlanks();
    if (atEnd()) {
      throw error("missing value data after '='");
    }
    if (peek() == '-') {
      pos++;
      endOfData();
      ops.add(new RegFileOp.DeleteValue(lineNumber, name));
      return;
    }
    if (peek() == '"') {
      String text = quoted();
      endOfData();
      ops.add(new RegFileOp.SetValue(lineNumber, RegValue.string(name, text)));
      return;
    }
    String rest = line.substring(pos).toLowerCase(Locale.ROOT);
    if (rest.startsWith("dword:")) {
      pos += "dword:".length();
      int value = dword();
      endOfData();
      ops.add(new RegFileOp.SetValue(lineNumber, RegValue.dword(name, value)));
      return;
    }
    if (rest.startsWith("hex:") || rest.startsWith("hex(")) {
      int type = hexType();
      byte[] data = hexBytes();
      ops.add(new RegFileOp.SetValue(lineNumber, new RegValue(name, type, data)));
      return;
    }
    throw error(
        "unknown value data '"
            + abbreviate(line.substring(pos))
            + "'; expected \"text\", dword:, hex:, hex(N): or -");
  }

  /** A quoted string at the cursor, unescaped; the cursor ends after the closing quote. */
  private String quoted() throws ParseError {
    pos++; // the opening quote
    StringBuilder text = new StringBuilder();
    while (true) {
      if (atEnd()) {
        throw error("unterminated string: no closing '\"' on this line");
      }
      char c = line.charAt(pos++);
      if (c == '"') {
        return text.toString();
      }
      if (c != '\\') {
        text.append(c);
        continue;
      }
      if (atEnd()) {
        throw error("unterminated string: no closing '\"' on this line");
      }
      char escaped = line.charAt(pos++);
      switch (escaped) {
        case '\\' -> text.append('\\');
        case '"' -> text.append('"');
        case 'r' -> text.append('\r');
        case 'n' -> text.append('\n');
        default ->
            throw error(
                "bad escape sequence '\\"
                    + escaped
                    + "'; only \\\\, \\\", \\r and \\n are allowed");
      }
    }
  }

  private int dword() throws ParseError {
    String token = token();
    if (token.isEmpty() || !isHex(token)) {
      throw error("bad dword value '" + token + "'; expected 1 to 8 hex digits");
    }
    if (token.length() > 8) {
      throw error("dword value '" + token + "' out of range; at most 8 hex digits");
    }
    return (int) Long.parseLong(token, 16);
  }

  /** The type of {@code hex:} or {@code hex(N):}; the cursor ends after the colon. */
  private int hexType() throws ParseError {
    pos += "hex".length();
    if (peek() == ':') {
      pos++;
      return RegType.REG_BINARY;
    }
    int close = line.indexOf(')', pos);
    if (close < 0) {
      throw error("bad value type: 'hex(' without ')'");
    }
    String digits = line.substring(pos + 1, close);
    if (digits.isEmpty() || digits.length() > 8 || !isHex(digits)) {
      throw error("bad value type 'hex(" + digits + ")'; expected 1 to 8 hex digits");
    }
    pos = close + 1;
    if (atEnd() || peek() != ':') {
      throw error("expected ':' after 'hex(" + digits + ")'");
    }
    pos++;
    return (int) Long.parseLong(digits, 16);
  }

  /**
   * Comma-separated hex bytes from the cursor, following {@code \} continuations onto the next
   * lines; a {@code ;} comment may end the data.
   */
  private byte[] hexBytes() throws ParseError {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    boolean needByte = false;
    boolean any = false;
    while (true) {
      skipBlanks();
      if (atEnd() || peek() == ';') {
        if (needByte) {
          throw error("missing hex byte after ','");
        }
        return bytes.toByteArray();
      }
      char c = peek();
      if (c == '\\') {
        pos++;
        skipBlanks();
        if (!atEnd()) {
          throw error("unexpected text after the line continuation '\\'");
        }
        if (index + 1 >= lines.size()) {
          throw error("line continuation '\\' at the end of the file");
        }
        index++;
        line = lines.get(index);
        pos = 0;
        skipBlanks();
        if (atEnd()) {
          throw error("expected hex bytes on the continuation line");
        }
        continue;
      }
      if (needByte || !any) {
        String token = byteToken();
        if (token.isEmpty()) {
          throw error("expected a hex byte, found '" + c + "'");
        }
        if (token.length() > 2 || !isHex(token)) {
          throw error("bad hex byte '" + abbreviate(token) + "'");
        }
        bytes.write(Integer.parseInt(token, 16));
        any = true;
        needByte = false;
      } else if (c == ',') {
        pos++;
        needByte = true;
      } else {
        throw error("expected ',' between hex bytes, found '" + c + "'");
      }
    }
  }

  /** After value data: only blanks and a comment may follow. */
  private void endOfData() throws ParseError {
    skipBlanks();
    if (!atEnd() && peek() != ';') {
      throw error(
          "unexpected text after the value data: '" + abbreviate(line.substring(pos)) + "'");
    }
  }

  private String token() {
    int start = pos;
    while (!atEnd() && !isBlank(peek()) && peek() != ';') {
      pos++;
    }
    return line.substring(start, pos);
  }

  private String byteToken() {
    int start = pos;
    while (!atEnd()) {
      char c = peek();
      if (c == ',' || c == '\\' || c == ';' || isBlank(c)) {
        break;
      }
      pos++;
    }
    return line.substring(start, pos);
  }

  private boolean atEnd() {
    return pos >= line.length();
  }

  private char peek() {
    return line.charAt(pos);
  }

  private void skipBlanks() {
    while (!atEnd() && isBlank(peek())) {
      pos++;
    }
  }

  private ParseError error(String message) {
    return new ParseError(index + 1, message);
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }

  private static boolean isHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
        return false;
      }
    }
    return true;
  }

  private static String stripTrailing(String s) {
    int end = s.length();
    while (end > 0 && isBlank(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(0, end);
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }
}
