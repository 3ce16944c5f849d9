package ntio.host.daemon;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One connection's frames waiting to be written. Any thread may {@link #offer} (a kernel worker
 * completing an overlapped request does); only the connection's writer {@link #take}s. Offering
 * never blocks: when a frame does not fit, the queue closes itself and says so, and the connection
 * is ended by a thread of its own.
 *
 * <p>The bound counts what no quota covers. The final answer to a request was paid for by the
 * request's quota charge ({@link RequestCharge}): its first {@code covered} bytes are not counted
 * again, and neither is the frame; everything else (an ERROR refusing a request, the REPLY that an
 * overlapped request was issued, a reply larger than its request's charge) counts against {@code
 * maxBytes} and {@code maxFrames}. So a client that reads is never cut off for a burst of answers
 * it paid for, and one that stops reading is cut off as soon as it asks for anything more.
 *
 * <p>A frame's {@code onTaken} action runs exactly once: when the writer takes the frame, before
 * it is written (so a client can never read an answer whose charge is still held), or when the
 * queue drops it.
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

  private record Entry(ByteBuffer bytes, long counted, boolean countsAsFrame, Runnable onTaken) {}

  private final long maxBytes;
  private final int maxFrames;

  @GuardedBy("this")
  private final ArrayDeque<Entry> entries = new ArrayDeque<>();

  @GuardedBy("this")
  private long bytes;

  @GuardedBy("this")
  private int frames;

  @GuardedBy("this")
  private boolean closed;

  @GuardedBy("this")
  private boolean overflowed;

  /**
   * @param maxBytes the uncovered bytes the queue holds at most, except that a queue holding none
   *     takes one frame of any size
   * @param maxFrames the uncovered frames it holds at most
   */
  OutboundQueue(long maxBytes, int maxFrames) {
    this.maxBytes = maxBytes;
    this.maxFrames = maxFrames;
  }

  /** Queues a frame no quota covers; see {@link #offer(ByteBuffer, long, Runnable)}. */
  Offer offer(ByteBuffer frame) {
    return offer(frame, 0, null);
  }

  /**
   * Queues a frame, never blocking. When it does not fit, the queue closes: every frame in it is
   * dropped, and the writer's {@link #take} returns null.
   *
   * @param frame the frame's bytes, length prefix included; the queue owns them now
   * @param covered how many of its bytes a quota charge already covers (0: none, and the frame
   *     counts against the frame bound)
   * @param onTaken run once the writer takes the frame, or the queue drops it (also when this
   *     returns other than QUEUED); may be null
   */
  Offer offer(ByteBuffer frame, long covered, Runnable onTaken) {
    long counted = Math.max(0, frame.remaining() - covered);
    boolean countsAsFrame = covered == 0;
    List<Entry> dropped;
    Offer outcome;
    synchronized (this) {
      if (closed) {
        outcome = Offer.CLOSED;
        dropped = new ArrayList<>();
      } else if ((countsAsFrame && frames >= maxFrames) || (bytes > 0 && counted > maxBytes - bytes)) {
        overflowed = true;
        outcome = Offer.OVERFLOWED;
        dropped = closeLocked();
      } else {
        entries.add(new Entry(frame, counted, countsAsFrame, onTaken));
        bytes += counted;
        frames += countsAsFrame ? 1 : 0;
        notifyAll();
        return Offer.QUEUED;
      }
    }
    dropped.add(new Entry(frame, counted, countsAsFrame, onTaken));
    runAll(dropped);
    return outcome;
  }

  /**
   * Takes the next frame for the writer, waiting for one. It leaves the queue (and its action
   * runs) before the writer writes it.
   *
   * @return the frame, or null once the queue is closed
   * @throws InterruptedException if the writer is interrupted while waiting
   */
  ByteBuffer take() throws InterruptedException {
    Entry entry;
    synchronized (this) {
      while (entries.isEmpty() && !closed) {
        wait();
      }
      if (closed) {
        return null;
      }
      entry = entries.poll();
      bytes -= entry.counted();
      frames -= entry.countsAsFrame() ? 1 : 0;
    }
    run(entry);
    return entry.bytes();
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

  /** Uncovered bytes waiting now. */
  synchronized long bytes() {
    return bytes;
  }

  /** Frames waiting now, covered or not. */
  synchronized int size() {
    return entries.size();
  }

  @GuardedBy("this")
  private List<Entry> closeLocked() {
    List<Entry> dropped = new ArrayList<>(entries);
    entries.clear();
    bytes = 0;
    frames = 0;
    closed = true;
    notifyAll();
    return dropped;
  }

  private static void runAll(List<Entry> entries) {
    entries.forEach(OutboundQueue::run);
  }

  private static void run(Entry entry) {
    if (entry.onTaken() != null) {
      entry.onTaken().run();
    }
  }
}
