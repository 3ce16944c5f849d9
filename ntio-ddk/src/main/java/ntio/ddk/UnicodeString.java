package ntio.ddk;

import java.util.Arrays;
import java.util.Objects;

/**
 * A counted UTF-16 string with NT's byte-length semantics.
 *
 * <p>Models {@code UNICODE_STRING} (full): {@code Length} and {@code MaximumLength} are counts of
 * <em>bytes</em>, not characters, each an unsigned 16-bit number, and the buffer need not be
 * NUL-terminated. Because the lengths are whatever the caller says, a string may be ill-formed: an
 * odd {@code Length}, a {@code Length} above {@code MaximumLength}, or a buffer shorter than the
 * lengths claim. Such strings are representable on purpose, so that they reach the kernel exactly
 * as a user-mode caller sent them and are refused where NT refuses them.
 *
 * <p>Instances are immutable; the buffer is copied on the way in and out.
 */
public final class UnicodeString {

  /** The largest value either length field can hold ({@code MAXUSHORT}). */
  public static final int MAX_LENGTH = 0xFFFF;

  /**
   * The largest byte length an object name may have: {@code MAXUSHORT} less the room for a
   * terminating NUL, rounded down to whole characters.
   */
  public static final int MAX_NAME_LENGTH = 0xFFFC;

  private static final UnicodeString EMPTY = new UnicodeString(0, 0, new char[0]);

  private final int length;
  private final int maximumLength;
  private final char[] buffer; // null models a NULL Buffer pointer

  private UnicodeString(int length, int maximumLength, char[] buffer) {
    this.length = length;
    this.maximumLength = maximumLength;
    this.buffer = buffer;
  }

  /**
   * A well-formed string holding {@code text}: {@code Length} is twice its character count and
   * {@code MaximumLength} equals {@code Length}. Models {@code RtlInitUnicodeString} except that
   * the terminating NUL is not counted in {@code MaximumLength}.
   *
   * @throws IllegalArgumentException if the text is longer than {@link #MAX_LENGTH} bytes
   */
  public static UnicodeString of(String text) {
    Objects.requireNonNull(text, "text");
    if (text.length() * 2 > MAX_LENGTH) {
      throw new IllegalArgumentException("text of " + text.length() + " characters is too long");
    }
    return new UnicodeString(text.length() * 2, text.length() * 2, text.toCharArray());
  }

  /** The empty string: both lengths 0, a non-NULL empty buffer. */
  public static UnicodeString empty() {
    return EMPTY;
  }

  /**
   * A string exactly as a caller laid it out, however ill-formed: {@code buffer} may be null (a
   * NULL pointer) and may hold fewer or more characters than the lengths say.
   *
   * @throws IllegalArgumentException if a length is outside 0..{@link #MAX_LENGTH}
   */
  public static UnicodeString raw(int length, int maximumLength, char[] buffer) {
    checkUshort("Length", length);
    checkUshort("MaximumLength", maximumLength);
    return new UnicodeString(length, maximumLength, buffer == null ? null : buffer.clone());
  }

  private static void checkUshort(String what, int value) {
    if (value < 0 || value > MAX_LENGTH) {
      throw new IllegalArgumentException(what + " " + value + " does not fit in 16 bits");
    }
  }

  /** {@code Length}: the number of bytes in use. */
  public int length() {
    return length;
  }

  /** {@code MaximumLength}: the size of the buffer in bytes, as the caller claims it. */
  public int maximumLength() {
    return maximumLength;
  }

  /** Whether {@code Buffer} is NULL. */
  public boolean hasNullBuffer() {
    return buffer == null;
  }

  /** How many characters the buffer really holds (0 for a NULL buffer). */
  public int bufferCharacters() {
    return buffer == null ? 0 : buffer.length;
  }

  /** A copy of the characters the buffer really holds, or null for a NULL buffer. */
  public char[] buffer() {
    return buffer == null ? null : buffer.clone();
  }

  /**
   * Whether reading {@code Length} bytes from the buffer stays inside it: what a probe of the
   * buffer for read checks. False for a NULL buffer with a non-zero length.
   */
  public boolean isReadable() {
    int needed = (length + 1) / 2;
    return needed == 0 || (buffer != null && buffer.length >= needed);
  }

  /** Whether this is well-formed: even lengths, {@code Length <= MaximumLength}, readable. */
  public boolean isWellFormed() {
    return length % 2 == 0 && maximumLength % 2 == 0 && length <= maximumLength && isReadable();
  }

  /**
   * The first {@code Length / 2} characters as a Java string.
   *
   * @throws IllegalStateException if the buffer is not readable for {@code Length} bytes
   */
  public String text() {
    if (!isReadable()) {
      throw new IllegalStateException("buffer holds fewer than " + length + " bytes");
    }
    return length == 0 ? "" : new String(buffer, 0, length / 2);
  }

  /**
   * Checks that this string may be an absolute object-manager path, as the object manager does
   * when it captures and parses a name ({@code ObpCaptureObjectName} and the start of
   * {@code ObpLookupObjectName}), in NT's order:
   *
   * <ol>
   *   <li>the buffer cannot be read for {@code Length} bytes: {@code STATUS_ACCESS_VIOLATION};
   *   <li>an odd {@code Length}, or one above {@link #MAX_NAME_LENGTH}:
   *       {@code STATUS_OBJECT_NAME_INVALID};
   *   <li>an empty name, or one that does not start with {@code \}:
   *       {@code STATUS_OBJECT_PATH_SYNTAX_BAD};
   *   <li>an empty component ({@code \\}, or a trailing {@code \} after a component):
   *       {@code STATUS_OBJECT_NAME_INVALID}.
   * </ol>
   *
   * The root name {@code \} alone is valid. Returns {@code STATUS_SUCCESS} otherwise.
   */
  public NtStatus validateObjectPath() {
    if (!isReadable()) {
      return NtStatus.STATUS_ACCESS_VIOLATION;
    }
    if ((length & 1) != 0 || length > MAX_NAME_LENGTH) {
      return NtStatus.STATUS_OBJECT_NAME_INVALID;
    }
    int chars = length / 2;
    if (chars == 0 || buffer[0] != '\\') {
      return NtStatus.STATUS_OBJECT_PATH_SYNTAX_BAD;
    }
    for (int i = 1; i < chars; i++) {
      if (buffer[i] == '\\' && buffer[i - 1] == '\\') {
        return NtStatus.STATUS_OBJECT_NAME_INVALID;
      }
    }
    if (chars > 1 && buffer[chars - 1] == '\\') {
      return NtStatus.STATUS_OBJECT_NAME_INVALID;
    }
    return NtStatus.STATUS_SUCCESS;
  }

  /** Equal when both lengths match and the first {@code Length} bytes match. */
  @Override
  public boolean equals(Object other) {
    if (!(other instanceof UnicodeString that)) {
      return false;
    }
    if (that.length != length || that.maximumLength != maximumLength) {
      return false;
    }
    if (buffer == null || that.buffer == null) {
      return buffer == that.buffer;
    }
    int n = (length + 1) / 2;
    if (!isReadable() || !that.isReadable()) {
      return Arrays.equals(buffer, that.buffer);
    }
    return Arrays.equals(buffer, 0, n, that.buffer, 0, n);
  }

  @Override
  public int hashCode() {
    return 31 * length + maximumLength;
  }

  /** The text when readable, else a description of the layout. */
  @Override
  public String toString() {
    if (isReadable() && (length & 1) == 0) {
      return text();
    }
    return "UnicodeString[Length=" + length + ", MaximumLength=" + maximumLength
        + ", buffer=" + (buffer == null ? "NULL" : buffer.length + " chars") + "]";
  }
}
