package ntio.host.daemon;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One connection's frames waiting to be written, bounded in bytes and in frames. Any thread may
 * {@link #offer} (a kernel worker completing an overlapped request does); only the connection's
 * writer {@link #take}s. Offering never blocks: when the frame does not fit, the queue closes
 * itself and says so, and the connection is ended by its own threads.
 *
 * <p>Each frame may carry a {@code done} action, run exactly once: after the writer wrote the
 * frame, or when the queue drops it (closed, or full). The connection uses it to return the quota
 * its request was charged.
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

  private record Entry(ByteBuffer bytes, int size, Runnable done) {}

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
   * @param done run once the frame is written or dropped (also when this returns other than
   *     QUEUED); may be null
   */
  Offer offer(ByteBuffer frame, Runnable done) {
    List<Entry> dropped;
    Offer outcome;
    synchronized (this) {
      if (closed) {
        outcome = Offer.CLOSED;
        dropped = List.of(new Entry(frame, frame.remaining(), done));
      } else if (!entries.isEmpty()
          && (entries.size() >= maxFrames || frame.remaining() > maxBytes - bytes)) {
        overflowed = true;
        outcome = Offer.OVERFLOWED;
        dropped = closeLocked();
        dropped.add(new Entry(frame, frame.remaining(), done));
      } else {
        entries.add(new Entry(frame, frame.remaining(), done));
        bytes += frame.remaining();
        notifyAll();
        return Offer.QUEUED;
      }
    }
    runAll(dropped);
    return outcome;
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

  /** The frame {@link #take} returned is written: it leaves the queue, and its action runs. */
  void written() {
    Entry entry;
    synchronized (this) {
      entry = entries.poll();
      if (entry == null) {
        return; // closed meanwhile: the close ran its action
      }
      bytes -= entry.size();
    }
    run(entry);
  }

  /** Closes the queue: frames still in it are dropped, the writer's {@link #take} returns null. */
  void close() {
    List<Entry> dropped;
    synchronized (this) {
      dropped = closeLocked();
    }
    runAll(dropped);
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
  private List<Entry> closeLocked() {
    List<Entry> dropped = new ArrayList<>(entries);
    entries.clear();
    bytes = 0;
    closed = true;
    notifyAll();
    return dropped;
  }

  private static void runAll(List<Entry> entries) {
    entries.forEach(OutboundQueue::run);
  }

  private static void run(Entry entry) {
    if (entry.done() != null) {
      entry.done().run();
    }
  }
}
