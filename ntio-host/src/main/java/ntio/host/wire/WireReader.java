package ntio.host.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Reads the protocol's primitives from one frame's payload, little-endian. Every read is bounded
 * by what the payload holds: a field that runs past the end, a negative or impossible count, or a
 * string of odd byte length raises {@link WireException}, never another exception. Not thread-safe.
 */
public final class WireReader {

  private final ByteBuffer in;

  /** Reads {@code payload}, which the reader does not copy and the caller must not change. */
  public WireReader(byte[] payload) {
    this.in = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Bytes not read yet. */
  public int remaining() {
    return in.remaining();
  }

  /** Checks that the whole payload was read: a request with trailing bytes is malformed. */
  public void expectEnd() {
    if (in.hasRemaining()) {
      throw new WireException(in.remaining() + " unexpected bytes after the last field");
    }
  }

  /** An unsigned byte. */
  public int u8() {
    need(1);
    return in.get() & 0xFF;
  }

  /** A boolean byte: 0 or 1, anything else is malformed. */
  public boolean bool() {
    int b = u8();
    if (b > 1) {
      throw new WireException("boolean byte " + b);
    }
    return b == 1;
  }

  /** An unsigned 16-bit number. */
  public int u16() {
    need(2);
    return in.getShort() & 0xFFFF;
  }

  /** A 32-bit number. */
  public int i32() {
    need(4);
    return in.getInt();
  }

  /** A 64-bit number. */
  public long i64() {
    need(8);
    return in.getLong();
  }

  /**
   * A byte array: an {@code i32} count, {@code -1} for null, then the bytes.
   *
   * @param max the most bytes the field may hold
   */
  public byte[] bytesOrNull(int max) {
    int n = i32();
    if (n == -1) {
      return null;
    }
    if (n < 0 || n > max) {
      throw new WireException("byte field of " + n + " bytes (at most " + max + ")");
    }
    need(n);
    byte[] bytes = new byte[n];
    in.get(bytes);
    return bytes;
  }

  /** A byte array that may not be null. */
  public byte[] bytes(int max) {
    byte[] bytes = bytesOrNull(max);
    if (bytes == null) {
      throw new WireException("null where bytes are required");
    }
    return bytes;
  }

  /** A string: an {@code i32} count of UTF-16 code units, {@code -1} for null, then UTF-16LE. */
  public String stringOrNull() {
    int n = i32();
    if (n == -1) {
      return null;
    }
    if (n < 0 || n > in.remaining() / 2) {
      throw new WireException("string of " + n + " characters with " + in.remaining() + " bytes left");
    }
    char[] chars = new char[n];
    for (int i = 0; i < n; i++) {
      chars[i] = in.getChar();
    }
    return new String(chars);
  }

  /** A string that may not be null. */
  public String string() {
    String s = stringOrNull();
    if (s == null) {
      throw new WireException("null where a string is required");
    }
    return s;
  }

  /**
   * A list: an {@code i32} count, {@code -1} for null, then the elements. The count is checked
   * against the bytes left, each element taking at least {@code minElementBytes}, so that a forged
   * count cannot make the reader allocate more than the frame could hold.
   */
  public <T> List<T> listOrNull(int minElementBytes, Function<WireReader, T> element) {
    int n = i32();
    if (n == -1) {
      return null;
    }
    if (n < 0 || (long) n * Math.max(1, minElementBytes) > in.remaining()) {
      throw new WireException("list of " + n + " elements with " + in.remaining() + " bytes left");
    }
    List<T> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      list.add(element.apply(this));
    }
    return list;
  }

  /** A list that may not be null. */
  public <T> List<T> list(int minElementBytes, Function<WireReader, T> element) {
    List<T> list = listOrNull(minElementBytes, element);
    if (list == null) {
      throw new WireException("null where a list is required");
    }
    return list;
  }

  /** Raw bytes of a known count. */
  byte[] raw(int n) {
    need(n);
    byte[] bytes = new byte[n];
    in.get(bytes);
    return bytes;
  }

  private void need(int n) {
    if (n < 0 || in.remaining() < n) {
      throw new WireException("field of " + n + " bytes with " + in.remaining() + " left");
    }
  }
}
