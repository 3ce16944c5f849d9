package ${package};

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * What the device holds: the bytes of the last write, at most {@link ${driverName}Ioctl#CAPACITY}.
 * Requests of several clients can run at once, so every access takes the store's lock; it never
 * calls back into the kernel while holding it.
 */
final class ${driverName}Store {

  private byte[] stored = new byte[0];

  /**
   * Keeps the first {@code length} bytes of {@code data} (at most the capacity), replacing what was
   * there.
   *
   * @return how many bytes were kept: the write's {@code Information}
   */
  synchronized int write(byte[] data, int length) {
    int kept = Math.min(Math.min(length, data.length), ${driverName}Ioctl.CAPACITY);
    stored = Arrays.copyOf(data, kept);
    return kept;
  }

  /**
   * Copies up to {@code length} of the held bytes into {@code out}.
   *
   * @return how many bytes were copied: the read's {@code Information}
   */
  synchronized int read(byte[] out, int length) {
    int n = Math.min(Math.min(length, out.length), stored.length);
    System.arraycopy(stored, 0, out, 0, n);
    return n;
  }

  /**
   * Writes how many bytes the store holds, little-endian, to the first 4 bytes of {@code out}.
   *
   * @return 4, or -1 if {@code outputLength} (or {@code out}) is shorter than 4 bytes
   */
  synchronized int queryStored(byte[] out, int outputLength) {
    if (outputLength < Integer.BYTES || out.length < Integer.BYTES) {
      return -1;
    }
    ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putInt(0, stored.length);
    return Integer.BYTES;
  }
}
