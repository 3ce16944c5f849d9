package ntio.bench;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import org.openjdk.jmh.annotations.CompilerControl;

/**
 * The floor under a write and read of Echo: a trivial in-process first-in, first-out queue of
 * bytes, called directly. A write copies the caller's bytes into a ring under a lock; a read
 * allocates the caller's array and copies the oldest bytes out under the same lock. That is the
 * buffer work any in-process FIFO does for a caller that hands bytes in and gets a fresh array
 * back, and it is what Echo's own FIFO does for an IRP. Both calls are kept real calls (never
 * inlined into the benchmark). Thread-safe.
 */
final class DirectFifo {

  private final Object lock = new Object();

  @GuardedBy("lock")
  private final byte[] ring;

  /** Index in {@link #ring} of the oldest byte. */
  @GuardedBy("lock")
  private int head;

  /** How many bytes are queued, from {@link #head}, wrapping at the ring's end. */
  @GuardedBy("lock")
  private int count;

  /**
   * An empty FIFO holding at most {@code capacity} bytes.
   *
   * @throws IllegalArgumentException if {@code capacity} is not positive
   */
  DirectFifo(int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("FIFO capacity " + capacity + " is not positive");
    }
    this.ring = new byte[capacity];
  }

  /**
   * Appends every byte of {@code data}, or none.
   *
   * @return {@code data.length}, or 0 when they do not all fit
   */
  @CompilerControl(CompilerControl.Mode.DONT_INLINE)
  int write(byte[] data) {
    synchronized (lock) {
      if (data.length > ring.length - count) {
        return 0;
      }
      int tail = (head + count) % ring.length;
      int first = Math.min(data.length, ring.length - tail);
      System.arraycopy(data, 0, ring, tail, first);
      System.arraycopy(data, first, ring, 0, data.length - first);
      count += data.length;
      return data.length;
    }
  }

  /**
   * Takes up to {@code length} of the oldest bytes; never waits.
   *
   * @return a new array of {@code min(length, queued)} bytes, empty when nothing is queued
   * @throws IllegalArgumentException if {@code length} is negative
   */
  @CompilerControl(CompilerControl.Mode.DONT_INLINE)
  byte[] read(int length) {
    if (length < 0) {
      throw new IllegalArgumentException("read length " + length + " is negative");
    }
    synchronized (lock) {
      byte[] taken = new byte[Math.min(length, count)];
      int first = Math.min(taken.length, ring.length - head);
      System.arraycopy(ring, head, taken, 0, first);
      System.arraycopy(ring, 0, taken, first, taken.length - first);
      head = (head + taken.length) % ring.length;
      count -= taken.length;
      return taken;
    }
  }

  /** How many bytes are queued. */
  int available() {
    synchronized (lock) {
      return count;
    }
  }
}
