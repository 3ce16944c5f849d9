package ntio.drivers.echo;

/**
 * The Echo device's extension: one first-in, first-out queue of bytes shared by every open of the
 * device. Thread-safe: each append and each take is atomic, so the bytes of one write are never
 * interleaved with those of another, and two readers never receive the same byte.
 */
final class EchoFifo {

  /*
   * Implementation notes: the ring is confined to the lock (every access below holds it), which
   * is how it stays a plain, unsynchronized class. The lock is not expressed with @GuardedBy on
   * purpose: Error Prone only honours annotations of its own, JSR 305's and Android's packages,
   * all kept in the class file, and a driver image may name nothing outside java.*, ntio.ddk.*
   * and ntio.framework.*. A final field holding a confined object needs no annotation.
   */

  private final Object lock = new Object();
  private final ByteRing ring;

  /**
   * An empty FIFO holding at most {@code capacity} bytes.
   *
   * @throws IllegalArgumentException if {@code capacity} is not positive
   */
  EchoFifo(int capacity) {
    this.ring = new ByteRing(capacity);
  }

  /** Appends {@code source[0..length)} whole, or nothing: see {@link ByteRing#append}. */
  boolean append(byte[] source, int length) {
    synchronized (lock) {
      return ring.append(source, length);
    }
  }

  /** Moves up to {@code length} bytes from the head: see {@link ByteRing#take}. */
  int take(byte[] destination, int length) {
    synchronized (lock) {
      return ring.take(destination, length);
    }
  }

  /** How many bytes are queued. */
  int available() {
    synchronized (lock) {
      return ring.available();
    }
  }
}
