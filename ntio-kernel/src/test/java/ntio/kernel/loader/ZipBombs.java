package ntio.kernel.loader;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Tiny JARs that inflate to a lot: an entry of zeros deflates about a thousand to one, so a 250 MB
 * entry is a JAR of a few hundred KB, written without ever holding the 250 MB.
 */
final class ZipBombs {

  /** The size of {@link #zeros250MB()}'s entry. */
  static final long BOMB_SIZE = 250_000_000L;

  /** The name of {@link #zeros250MB()}'s entry. */
  static final String BOMB_ENTRY = "bomb/zeros.bin";

  private ZipBombs() {}

  /** Deflating 250 MB takes a while: it is done once for every test of the run. */
  private static final class Bomb {
    static final byte[] JAR = zeros(BOMB_ENTRY, BOMB_SIZE);
  }

  /** A fresh copy of a JAR whose entry {@link #BOMB_ENTRY} holds {@link #BOMB_SIZE} zeros. */
  static byte[] zeros250MB() {
    return Bomb.JAR.clone();
  }

  /**
   * A JAR with a driver manifest and one entry of {@code size} zeros, with honest sizes in its
   * central directory.
   */
  static byte[] zeros(String entryName, long size) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry(JarImage.MANIFEST));
      zip.write(("Manifest-Version: 1.0\r\nNtio-Driver-Entry: bomb.Bomb\r\n\r\n")
          .getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
      zip.putNextEntry(new ZipEntry(entryName));
      byte[] chunk = new byte[1 << 20];
      for (long left = size; left > 0; left -= chunk.length) {
        zip.write(chunk, 0, (int) Math.min(left, chunk.length));
      }
      zip.closeEntry();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** The JAR with the uncompressed size of its last central directory entry set to {@code size}. */
  static byte[] declaringLastEntry(byte[] jar, long size) {
    byte[] copy = jar.clone();
    ByteBuffer buffer = ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN);
    int end = copy.length - 22;
    int p = buffer.getInt(end + 16);
    int last = p;
    for (int i = 0; i < Short.toUnsignedInt(buffer.getShort(end + 10)); i++) {
      last = p;
      p += 46 + Short.toUnsignedInt(buffer.getShort(p + 28))
          + Short.toUnsignedInt(buffer.getShort(p + 30))
          + Short.toUnsignedInt(buffer.getShort(p + 32));
    }
    buffer.putInt(last + 24, (int) size);
    return copy;
  }

  /** The bytes this thread has allocated so far (HotSpot's per-thread allocation counter). */
  static long allocatedByThisThread() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getCurrentThreadAllocatedBytes();
  }
}
