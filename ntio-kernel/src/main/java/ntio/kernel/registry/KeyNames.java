package ntio.kernel.registry;

import ntio.ddk.NtStatus;

/**
 * How the configuration manager compares and validates key and value names.
 *
 * <p>Names keep the case they were created with; every lookup compares upcased names, one UTF-16
 * unit at a time, as {@code RtlUpcaseUnicodeChar} does. Upcasing is locale-independent.
 */
final class KeyNames {

  /** The longest key name component, in characters ({@code REG_MAX_KEY_NAME_LENGTH}). */
  static final int MAX_KEY_NAME_LENGTH = 255;

  /** The longest value name, in characters ({@code MAX_VALUE_NAME} less the NUL). */
  static final int MAX_VALUE_NAME_LENGTH = 16383;

  /**
   * NT's {@code CMP_MAX_REGISTRY_DEPTH}: a key's level, counting {@code \REGISTRY} as level 1,
   * must stay below it, so the deepest key is at level 511, 510 components below {@code
   * \REGISTRY}. {@code CmpCreateKeyControlBlock} refuses a deeper key control block, and {@code
   * CmpDoCreateChild} answers {@code STATUS_INSUFFICIENT_RESOURCES}.
   */
  static final int MAX_KEY_DEPTH = 512;

  /**
   * The most bytes of data one value holds: 1 MiB, the limit Microsoft documents for the standard
   * hive format ("Registry element size limits"); the latest format's limit is "available memory",
   * which a host serving untrusted callers cannot offer. More is {@code
   * STATUS_INSUFFICIENT_RESOURCES}, as a data cell {@code HvAllocateCell} cannot allocate is in
   * {@code CmpSetValueDataNew}.
   */
  static final int MAX_VALUE_DATA_BYTES = 1 << 20;

  private KeyNames() {}

  /**
   * The name upcased one UTF-16 unit at a time. Models {@code RtlUpcaseUnicodeChar} applied to
   * every character (partial).
   *
   * @implNote {@link Character#toUpperCase(char)} is the simple Unicode uppercase mapping of the
   *     JDK's Unicode version; NT's upcase table is an older snapshot, so a few recently added
   *     letters may compare differently. Surrogate units are left alone, as NT leaves them.
   */
  static String upcase(String name) {
    char[] chars = name.toCharArray();
    for (int i = 0; i < chars.length; i++) {
      chars[i] = Character.toUpperCase(chars[i]);
    }
    return new String(chars);
  }

  /**
   * Whether the name may name a key: {@code STATUS_SUCCESS}, {@code STATUS_OBJECT_NAME_INVALID} for
   * an empty name or one containing {@code \}, or {@code STATUS_INVALID_PARAMETER} for more than
   * 255 characters.
   */
  static NtStatus checkKeyName(String name) {
    if (name.length() > MAX_KEY_NAME_LENGTH) {
      return NtStatus.STATUS_INVALID_PARAMETER;
    }
    if (name.isEmpty() || name.indexOf('\\') >= 0) {
      return NtStatus.STATUS_OBJECT_NAME_INVALID;
    }
    return NtStatus.STATUS_SUCCESS;
  }

  /**
   * Whether the name may name a value: {@code STATUS_SUCCESS}, or {@code STATUS_INVALID_PARAMETER}
   * for more than 16383 characters. The empty name is the key's default value.
   */
  static NtStatus checkValueName(String name) {
    return name.length() > MAX_VALUE_NAME_LENGTH
        ? NtStatus.STATUS_INVALID_PARAMETER
        : NtStatus.STATUS_SUCCESS;
  }
}
