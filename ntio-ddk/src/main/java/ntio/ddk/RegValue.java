package ntio.ddk;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One registry value: its name, its type and its data, exactly the bytes that were set. Models
 * {@code KEY_VALUE_FULL_INFORMATION} (full, less {@code TitleIndex}).
 *
 * <p>NT stores bytes and never checks them against the type, so neither does this record: a {@code
 * REG_SZ} of odd length or without a terminating NUL is a legal value. The factories build the
 * shapes NT's own tools write; the decoders answer only for the shape they expect and are empty
 * otherwise, which is how a reader such as the driver loader tells a well-formed entry from an
 * ill-formed one.
 *
 * <p>Immutable: the data is copied on the way in and out.
 *
 * @param name the value's name as created; {@code ""} is the key's default value
 * @param type the type, one of {@link RegType} or any other 32-bit number
 * @param data the raw bytes
 */
// The array is copied in and out, and equals, hashCode and toString compare its contents.
@SuppressWarnings("ArrayRecordComponent")
public record RegValue(String name, int type, byte[] data) {

  /** Copies the data. */
  public RegValue {
    Objects.requireNonNull(name, "name");
    data = Objects.requireNonNull(data, "data").clone();
  }

  /** A copy of the raw bytes: {@code Data} of {@code KEY_VALUE_FULL_INFORMATION} (full). */
  @Override
  public byte[] data() {
    return data.clone();
  }

  /** The number of data bytes: {@code DataLength} of {@code KEY_VALUE_FULL_INFORMATION} (full). */
  public int dataLength() {
    return data.length;
  }

  /** The type's name, for example {@code REG_DWORD}; see {@link RegType#name(int)}. */
  public String typeName() {
    return RegType.name(type);
  }

  /**
   * A {@code REG_SZ}: the text in UTF-16LE followed by a NUL. Models the data {@code
   * RegSetValueExW} stores for a string (full).
   */
  public static RegValue string(String name, String text) {
    return new RegValue(name, RegType.REG_SZ, terminated(text));
  }

  /**
   * A {@code REG_EXPAND_SZ}: the text in UTF-16LE followed by a NUL. Models the data {@code
   * RegSetValueExW} stores for an expandable string (full).
   */
  public static RegValue expandString(String name, String text) {
    return new RegValue(name, RegType.REG_EXPAND_SZ, terminated(text));
  }

  /**
   * A {@code REG_MULTI_SZ}: each string followed by a NUL, then one more NUL; an empty list is a
   * single NUL. Models the data {@code RegSetValueExW} stores for a multi-string (full).
   *
   * @throws IllegalArgumentException if a string is empty or contains a NUL, which the format
   *     cannot hold
   */
  public static RegValue multiString(String name, List<String> strings) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < strings.size(); i++) {
      String s = strings.get(i);
      if (s.isEmpty() || s.indexOf('\0') >= 0) {
        throw new IllegalArgumentException(
            "REG_MULTI_SZ element " + i + " is empty or contains a NUL");
      }
      text.append(s).append('\0');
    }
    return new RegValue(name, RegType.REG_MULTI_SZ, terminated(text.toString()));
  }

  /** A {@code REG_DWORD}: four bytes, little-endian. Models a {@code DWORD} value (full). */
  public static RegValue dword(String name, int value) {
    return new RegValue(
        name,
        RegType.REG_DWORD,
        ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array());
  }

  /** A {@code REG_QWORD}: eight bytes, little-endian. Models a {@code QWORD} value (full). */
  public static RegValue qword(String name, long value) {
    return new RegValue(
        name,
        RegType.REG_QWORD,
        ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
  }

  /** A {@code REG_BINARY} holding a copy of the bytes. Models a binary value (full). */
  public static RegValue binary(String name, byte[] bytes) {
    return new RegValue(name, RegType.REG_BINARY, bytes);
  }

  /** A {@code REG_NONE} with no data. Models a typeless, empty value (full). */
  public static RegValue none(String name) {
    return new RegValue(name, RegType.REG_NONE, new byte[0]);
  }

  /**
   * A {@code REG_LINK}: the target path in UTF-16LE without a terminating NUL, as {@code
   * CmpCreateControlSet} writes {@code SymbolicLinkValue}.
   */
  public static RegValue link(String name, String targetPath) {
    return new RegValue(name, RegType.REG_LINK, targetPath.getBytes(StandardCharsets.UTF_16LE));
  }

  /**
   * The text of a {@code REG_SZ} of even length, up to its first NUL; empty for another type or an
   * odd length. Models the type check a reader such as {@code IopGetDriverNames} makes before using
   * a string (full); whether an empty string is acceptable is the reader's rule.
   */
  public Optional<String> stringValue() {
    return type == RegType.REG_SZ ? text() : Optional.empty();
  }

  /**
   * The text of a {@code REG_EXPAND_SZ} of even length, up to its first NUL, unexpanded; empty for
   * another type or an odd length. Models the type check of an {@code ImagePath} reader (full).
   */
  public Optional<String> expandStringValue() {
    return type == RegType.REG_EXPAND_SZ ? text() : Optional.empty();
  }

  /**
   * The strings of a {@code REG_MULTI_SZ} of even length, up to the first empty string (or the end
   * of the data if its terminators are missing); empty for another type or an odd length. Models
   * how {@code RtlQueryRegistryValues} walks a multi-string (partial: no expansion).
   */
  public Optional<List<String>> multiStringValue() {
    if (type != RegType.REG_MULTI_SZ || data.length % 2 != 0) {
      return Optional.empty();
    }
    String all = new String(data, StandardCharsets.UTF_16LE);
    List<String> strings = new ArrayList<>();
    int start = 0;
    while (start < all.length()) {
      int end = all.indexOf('\0', start);
      if (end < 0) {
        end = all.length();
      }
      if (end == start) {
        break;
      }
      strings.add(all.substring(start, end));
      start = end + 1;
    }
    return Optional.of(List.copyOf(strings));
  }

  /**
   * The number of a {@code REG_DWORD} of exactly four bytes; empty for any other shape. Models the
   * check "a 4-byte {@code REG_DWORD}" a reader such as {@code IopGetDriverNames} makes (full).
   */
  public OptionalInt dwordValue() {
    if (type != RegType.REG_DWORD || data.length != 4) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).getInt());
  }

  /**
   * The number of a {@code REG_QWORD} of exactly eight bytes; empty for any other shape. Models the
   * same check for a 64-bit value (full).
   */
  public OptionalLong qwordValue() {
    if (type != RegType.REG_QWORD || data.length != 8) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).getLong());
  }

  /**
   * The target of a {@code REG_LINK} of even length, every character of it (a NUL included, as
   * {@code CmpGetSymbolicLink} takes the whole data); empty for another type or an odd length.
   * Models the type check of {@code CmpGetSymbolicLink} (full).
   */
  public Optional<String> linkTarget() {
    if (type != RegType.REG_LINK || data.length % 2 != 0) {
      return Optional.empty();
    }
    return Optional.of(new String(data, StandardCharsets.UTF_16LE));
  }

  private Optional<String> text() {
    if (data.length % 2 != 0) {
      return Optional.empty();
    }
    String all = new String(data, StandardCharsets.UTF_16LE);
    int nul = all.indexOf('\0');
    return Optional.of(nul < 0 ? all : all.substring(0, nul));
  }

  private static byte[] terminated(String text) {
    return (text + '\0').getBytes(StandardCharsets.UTF_16LE);
  }

  /** Equal when name, type and every data byte are equal. No NT counterpart. */
  @Override
  public boolean equals(Object other) {
    return other instanceof RegValue that
        && that.name.equals(name)
        && that.type == type
        && Arrays.equals(that.data, data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, type, Arrays.hashCode(data));
  }

  /** {@code "Name" REG_DWORD [0a 00 00 00]}, data shown up to 32 bytes. No NT counterpart. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    text.append('"').append(name).append("\" ").append(typeName()).append(" [");
    for (int i = 0; i < Math.min(data.length, 32); i++) {
      text.append(i == 0 ? "" : " ").append(String.format("%02x", data[i] & 0xFF));
    }
    if (data.length > 32) {
      text.append(" … ").append(data.length).append(" bytes");
    }
    return text.append(']').toString();
  }
}
