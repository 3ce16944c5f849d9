package ntio.host.wire;

import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;

/** Writes the protocol's primitives, little-endian, into a growing buffer. Not thread-safe. */
public final class WireWriter {

  private byte[] out = new byte[64];
  private int size;

  /** How many bytes were written. */
  public int size() {
    return size;
  }

  /** A copy of the bytes written. */
  public byte[] toByteArray() {
    return Arrays.copyOf(out, size);
  }

  /** One byte. */
  public WireWriter u8(int value) {
    ensure(1);
    out[size++] = (byte) value;
    return this;
  }

  /** A boolean as 0 or 1. */
  public WireWriter bool(boolean value) {
    return u8(value ? 1 : 0);
  }

  /** The low 16 bits. */
  public WireWriter u16(int value) {
    ensure(2);
    out[size++] = (byte) value;
    out[size++] = (byte) (value >>> 8);
    return this;
  }

  /** 32 bits. */
  public WireWriter i32(int value) {
    ensure(4);
    for (int i = 0; i < 4; i++) {
      out[size++] = (byte) (value >>> (8 * i));
    }
    return this;
  }

  /** 64 bits. */
  public WireWriter i64(long value) {
    ensure(8);
    for (int i = 0; i < 8; i++) {
      out[size++] = (byte) (value >>> (8 * i));
    }
    return this;
  }

  /** A byte array with its {@code i32} count; null as count {@code -1}. */
  public WireWriter bytes(byte[] bytes) {
    if (bytes == null) {
      return i32(-1);
    }
    i32(bytes.length);
    return raw(bytes);
  }

  /** A string as UTF-16LE code units with their {@code i32} count; null as count {@code -1}. */
  public WireWriter string(String s) {
    if (s == null) {
      return i32(-1);
    }
    i32(s.length());
    ensure(2 * s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      out[size++] = (byte) c;
      out[size++] = (byte) (c >>> 8);
    }
    return this;
  }

  /** A list with its {@code i32} count; null as count {@code -1}. */
  public <T> WireWriter list(List<T> list, BiConsumer<WireWriter, T> element) {
    if (list == null) {
      return i32(-1);
    }
    i32(list.size());
    for (T t : list) {
      element.accept(this, t);
    }
    return this;
  }

  /** Bytes as they are, without a count. */
  WireWriter raw(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, out, size, bytes.length);
    size += bytes.length;
    return this;
  }

  private void ensure(int n) {
    if (size + n > out.length) {
      out = Arrays.copyOf(out, Math.max(out.length * 2, size + n));
    }
  }
}
