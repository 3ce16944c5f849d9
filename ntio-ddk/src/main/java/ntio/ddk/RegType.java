package ntio.ddk;

import java.util.Map;

/**
 * The registry value types and their names. Models the {@code REG_*} type constants of {@code
 * winnt.h} (full).
 *
 * <p>A value's type is any 32-bit number: NT stores it and never checks it against this list. The
 * constants here are the ones NT and its tools give meaning to.
 */
public final class RegType {

  /** No defined type. */
  public static final int REG_NONE = 0;

  /** A string, UTF-16LE, normally with a terminating NUL. */
  public static final int REG_SZ = 1;

  /** A string with {@code %VARIABLE%} references, UTF-16LE, normally NUL-terminated. */
  public static final int REG_EXPAND_SZ = 2;

  /** Binary data. */
  public static final int REG_BINARY = 3;

  /** A 32-bit number, little-endian. */
  public static final int REG_DWORD = 4;

  /** A 32-bit number, big-endian. */
  public static final int REG_DWORD_BIG_ENDIAN = 5;

  /** A registry link target: an absolute key path in UTF-16LE without a terminating NUL. */
  public static final int REG_LINK = 6;

  /** A sequence of NUL-terminated UTF-16LE strings, ended by an empty string. */
  public static final int REG_MULTI_SZ = 7;

  /** A device driver's resource list. */
  public static final int REG_RESOURCE_LIST = 8;

  /** A device driver's full resource descriptor. */
  public static final int REG_FULL_RESOURCE_DESCRIPTOR = 9;

  /** A device driver's resource requirements list. */
  public static final int REG_RESOURCE_REQUIREMENTS_LIST = 10;

  /** A 64-bit number, little-endian. */
  public static final int REG_QWORD = 11;

  private static final Map<Integer, String> NAMES =
      Map.ofEntries(
          Map.entry(REG_NONE, "REG_NONE"),
          Map.entry(REG_SZ, "REG_SZ"),
          Map.entry(REG_EXPAND_SZ, "REG_EXPAND_SZ"),
          Map.entry(REG_BINARY, "REG_BINARY"),
          Map.entry(REG_DWORD, "REG_DWORD"),
          Map.entry(REG_DWORD_BIG_ENDIAN, "REG_DWORD_BIG_ENDIAN"),
          Map.entry(REG_LINK, "REG_LINK"),
          Map.entry(REG_MULTI_SZ, "REG_MULTI_SZ"),
          Map.entry(REG_RESOURCE_LIST, "REG_RESOURCE_LIST"),
          Map.entry(REG_FULL_RESOURCE_DESCRIPTOR, "REG_FULL_RESOURCE_DESCRIPTOR"),
          Map.entry(REG_RESOURCE_REQUIREMENTS_LIST, "REG_RESOURCE_REQUIREMENTS_LIST"),
          Map.entry(REG_QWORD, "REG_QWORD"));

  private RegType() {}

  /**
   * The type's name, for example {@code REG_SZ}; for a number without a name, its hexadecimal form,
   * for example {@code 0x00001234}. Models the names of {@code winnt.h} (full).
   */
  public static String name(int type) {
    String name = NAMES.get(type);
    return name != null ? name : String.format("0x%08X", type);
  }
}
