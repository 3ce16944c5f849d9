package ntio.host.daemon;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * One connection's frames waiting to be written, bounded in bytes and in frames. Any thread may
 * {@link #offer} (a kernel worker completing an overlapped request does); only the connection's
 * writer {@link #take}s. Offering never blocks: when the frame does not fit, the queue closes
 * itself and says so, and the connection is ended by its own threads.
 *
 * <p>Thread-safe.
 */
final class OutboundQueue {

  /** What {@link #offer} did. */
  enum Offer {
    /** Queued. */
    QUEUED,
    /** It did not fit: the queue is closed now, and the connection must end. */
    OVERFLOWED,
    /** The queue was closed already. */
    CLOSED
  }

  private record Entry(ByteBuffer bytes, int size) {}

  private final long maxBytes;
  private final int maxFrames;

  @GuardedBy("this")
  private final ArrayDeque<Entry> entries = new ArrayDeque<>();

  @GuardedBy("this")
  private long bytes;

  @GuardedBy("this")
  private boolean closed;

  @GuardedBy("this")
  private boolean overflowed;

  /**
   * @param maxBytes the bytes the queue holds at most, except that an empty queue takes one frame
   *     of any size
   * @param maxFrames the frames it holds at most
   */
  OutboundQueue(long maxBytes, int maxFrames) {
    this.maxBytes = maxBytes;
    this.maxFrames = maxFrames;
  }

  /**
   * Queues a frame, never blocking. When it does not fit, the queue closes: every frame in it is
   * dropped, and the writer's {@link #take} returns null.
   *
   * @param frame the frame's bytes, length prefix included; the queue owns them now
   */
  synchronized Offer offer(ByteBuffer frame) {
    if (closed) {
      return Offer.CLOSED;
    }
    if (!entries.isEmpty() && (entries.size() >= maxFrames || frame.remaining() > maxBytes - bytes)) {
      overflowed = true;
      closeLocked();
      return Offer.OVERFLOWED;
    }
    entries.add(new Entry(frame, frame.remaining()));
    bytes += frame.remaining();
    notifyAll();
    return Offer.QUEUED;
  }

  /**
   * The next frame for the writer, waiting for one. The caller writes it, then calls {@link
   * #written}.
   *
   * @return the frame, or null once the queue is closed
   * @throws InterruptedException if the writer is interrupted while waiting
   */
  synchronized ByteBuffer take() throws InterruptedException {
    while (entries.isEmpty() && !closed) {
      wait();
    }
    return closed ? null : entries.peek().bytes();
  }

  /** The frame {@link #take} returned is written: it leaves the queue. */
  synchronized void written() {
    Entry entry = entries.poll();
    if (entry != null) { // else closed meanwhile
      bytes -= entry.size();
    }
  }

  /** Closes the queue: frames still in it are dropped, the writer's {@link #take} returns null. */
  synchronized void close() {
    closeLocked();
  }

  /** Whether the queue closed because a frame did not fit. */
  synchronized boolean overflowed() {
    return overflowed;
  }

  /** Bytes waiting now. */
  synchronized long bytes() {
    return bytes;
  }

  /** Frames waiting now. */
  synchronized int frames() {
    return entries.size();
  }

  @GuardedBy("this")
  private void closeLocked() {
    entries.clear();
    bytes = 0;
    closed = true;
    notifyAll();
  }
}
