package ntio.drivers.echo;

/**
 * A first-in, first-out queue of bytes in a ring buffer that grows up to a fixed capacity. Not
 * thread-safe: {@link EchoFifo} confines it to its lock.
 */
final class ByteRing {

  /*
   * Implementation notes: the ring doubles when a write does not fit, up to the capacity, and
   * falls back to its initial size whenever it drains, so a burst does not pin its peak size for
   * the life of the device. Appends are all or nothing: a write either lands whole or fails.
   */

  static final int INITIAL_SIZE = 4096;

  private final int capacity;
  private byte[] ring;

  /** Index in {@link #ring} of the oldest byte. */
  private int head;

  /** How many bytes are queued, starting at {@link #head} and wrapping at the ring's end. */
  private int count;

  /**
   * An empty ring holding at most {@code capacity} bytes.
   *
   * @throws IllegalArgumentException if {@code capacity} is not positive
   */
  ByteRing(int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("ring capacity " + capacity + " is not positive");
    }
    this.capacity = capacity;
    this.ring = new byte[Math.min(capacity, INITIAL_SIZE)];
  }

  /**
   * Appends {@code source[0..length)} after every byte already queued.
   *
   * @return whether the bytes were appended; false, with nothing appended, when they would take
   *     the ring past its capacity
   * @throws IndexOutOfBoundsException if {@code length} is negative or beyond {@code source}
   */
  boolean append(byte[] source, int length) {
    checkLength(source, length);
    if (length > capacity - count) {
      return false;
    }
    ensureRoom(count + length);
    int tail = (head + count) % ring.length;
    int first = Math.min(length, ring.length - tail);
    System.arraycopy(source, 0, ring, tail, first);
    System.arraycopy(source, first, ring, 0, length - first);
    count += length;
    return true;
  }

  /**
   * Moves up to {@code length} bytes from the head into {@code destination}, from its index 0.
   *
   * @return how many bytes were moved: {@code min(length, available())}, 0 when empty
   * @throws IndexOutOfBoundsException if {@code length} is negative or beyond {@code destination}
   */
  int take(byte[] destination, int length) {
    checkLength(destination, length);
    int n = Math.min(length, count);
    int first = Math.min(n, ring.length - head);
    System.arraycopy(ring, head, destination, 0, first);
    System.arraycopy(ring, 0, destination, first, n - first);
    head = (head + n) % ring.length;
    count -= n;
    if (count == 0) {
      head = 0;
      if (ring.length > INITIAL_SIZE) {
        ring = new byte[INITIAL_SIZE];
      }
    }
    return n;
  }

  /** How many bytes are queued. */
  int available() {
    return count;
  }

  /** How many bytes the ring holds before it has to grow: its current size, not its capacity. */
  int size() {
    return ring.length;
  }

  /** Grows the ring, keeping the queued bytes in order, so that it holds at least {@code needed}. */
  private void ensureRoom(int needed) {
    if (needed <= ring.length) {
      return;
    }
    int size = (int) Math.min(capacity, Math.max(2L * ring.length, needed));
    byte[] grown = new byte[size];
    int first = Math.min(count, ring.length - head);
    System.arraycopy(ring, head, grown, 0, first);
    System.arraycopy(ring, 0, grown, first, count - first);
    ring = grown;
    head = 0;
  }

  private static void checkLength(byte[] buffer, int length) {
    if (length < 0 || length > buffer.length) {
      throw new IndexOutOfBoundsException(
          "length " + length + " outside a buffer of " + buffer.length + " bytes");
    }
  }
}
