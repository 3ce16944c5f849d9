package ntio.drivers.echo;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import ntio.ddk.CancelRoutine;
import ntio.ddk.FileObject;
import ntio.ddk.Irp;
import ntio.ddk.NtStatus;

/**
 * The Echo device's extension: one first-in, first-out queue of bytes shared by every open of the
 * device, and the reads waiting for bytes, in arrival order. Thread-safe: each method is atomic,
 * so the bytes of one write are never interleaved with those of another, two readers never
 * receive the same byte, and waiting reads are served in the order they arrived.
 *
 * <p>No method completes a request: those that finish one return it, with how to complete it, and
 * the dispatch routine completes it once the FIFO's lock is released.
 */
final class EchoFifo {

  /*
   * Implementation notes: the ring and the queue of waiting reads are confined to the lock (every
   * access below holds it), which is how they stay plain, unsynchronized classes. The lock is not
   * expressed with @GuardedBy on purpose: Error Prone only honours annotations of its own, JSR
   * 305's and Android's packages, all kept in the class file, and a driver image may name nothing
   * outside java.*, ntio.ddk.* and ntio.framework.*. A final field holding a confined object
   * needs no annotation.
   *
   * Every method leaves one invariant behind: bytes wait in the ring only while no read that can
   * still take them waits in the queue. (A read whose cancel routine has been taken cannot: it is
   * leaving.) That is why a read decides "take now or queue", and a write appends and then hands
   * the bytes to the waiting reads, each within one hold of the lock: split in two, a read
   * arriving in between would find bytes and take them ahead of the reads already waiting.
   *
   * A queued read is owned by whoever takes its cancel routine back (the cancel-safe protocol of
   * IoSetCancelRoutine): a path that would finish it — a write serving it, a cleanup of its file,
   * startRead finding it was cancelled while being queued — first calls setCancelRoutine(null); a
   * null answer means IoCancelIrp took the routine first, so the read stays in the queue for the
   * cancel routine, which takes it out under the lock (removeCancelledRead) and completes it. The
   * routine is set under the lock and may be called on another thread at once; it then waits for
   * the lock, and by the time it gets it the queue says who owns the read.
   *
   * Nothing is completed under the lock: IoCompleteRequest runs the completion routines of the
   * drivers above (the Filter's, say), which may take locks of their own or send Echo a new
   * request on this very thread, and the monitor being reentrant, that request would change the
   * queue under an iteration. Each method collects instead, and returns.
   */

  private final Object lock = new Object();
  private final ByteRing ring;

  /** Reads marked pending, oldest first; each has Echo's cancel routine set, or being called. */
  private final ArrayDeque<Irp> pendingReads = new ArrayDeque<>();

  /**
   * An empty FIFO holding at most {@code capacity} bytes.
   *
   * @throws IllegalArgumentException if {@code capacity} is not positive
   */
  EchoFifo(int capacity) {
    this.ring = new ByteRing(capacity);
  }

  /**
   * A request to complete, and the {@code IoStatus} to complete it with, once the lock is
   * released.
   */
  record Completion(Irp irp, IoResult result) {}

  /**
   * What became of a read when it reached the FIFO.
   *
   * @param pending whether the read was marked pending, so that its dispatch routine must return
   *     {@code STATUS_PENDING} whatever happens next
   * @param result the {@code IoStatus} to complete it with now; {@code STATUS_PENDING} when it
   *     waits in the queue and someone else completes it later
   */
  record ReadStart(boolean pending, IoResult result) {

    static ReadStart completed(IoResult result) {
      return new ReadStart(false, result);
    }

    static ReadStart queued() {
      return new ReadStart(true, new IoResult(NtStatus.STATUS_PENDING, 0));
    }

    static ReadStart cancelledWhileQueuing() {
      return new ReadStart(true, IoResult.failure(NtStatus.STATUS_CANCELLED));
    }

    /** Whether the dispatch routine completes the read itself, with {@link #result()}. */
    boolean completesNow() {
      return !result.status().equals(NtStatus.STATUS_PENDING);
    }
  }

  /**
   * What a write did.
   *
   * @param result the write's own {@code IoStatus}
   * @param servedReads the waiting reads it gave bytes to, oldest first: to complete, in that
   *     order
   */
  record Written(IoResult result, List<Completion> servedReads) {}

  /**
   * Starts a read: when bytes are waiting, or when it asks for none, moves up to its
   * {@code Length} from the head into its system buffer and answers that it completes now;
   * otherwise marks it pending, queues it behind the reads already waiting and sets
   * {@code onCancel} as its cancel routine. A read found cancelled once its routine is set (the
   * cancel came first and found no routine to call) is taken out again and completes now with
   * {@code STATUS_CANCELLED}; one whose routine was taken meanwhile is left to that routine.
   *
   * @param read an {@code IRP_MJ_READ} at this device's stack location
   */
  ReadStart startRead(Irp read, CancelRoutine onCancel) {
    int length = read.currentStackLocation().length();
    synchronized (lock) {
      if (length == 0 || ring.available() > 0) {
        return ReadStart.completed(IoResult.success(ring.take(read.systemBuffer(), length)));
      }
      // Pending before it is visible: a write may complete it as soon as it is in the queue.
      read.markPending();
      pendingReads.addLast(read);
      read.setCancelRoutine(onCancel);
      if (read.isCancelled() && read.setCancelRoutine(null) != null) {
        pendingReads.removeLastOccurrence(read);
        return ReadStart.cancelledWhileQueuing();
      }
      return ReadStart.queued();
    }
  }

  /**
   * Appends {@code source[0..length)} whole, or nothing (see {@link ByteRing#append}), then serves
   * the waiting reads in arrival order, each taking up to its {@code Length} into its system
   * buffer, until the FIFO is empty. A read whose cancel routine was taken is skipped: it stays
   * for that routine.
   *
   * @return success with {@code length} and the reads served; or, serving none,
   *     {@code STATUS_INSUFFICIENT_RESOURCES} when the FIFO has no room for every byte
   */
  Written write(byte[] source, int length) {
    synchronized (lock) {
      if (!ring.append(source, length)) {
        return new Written(IoResult.failure(NtStatus.STATUS_INSUFFICIENT_RESOURCES), List.of());
      }
      List<Completion> served = new ArrayList<>();
      for (Iterator<Irp> waiting = pendingReads.iterator();
          waiting.hasNext() && ring.available() > 0; ) {
        Irp read = waiting.next();
        if (read.setCancelRoutine(null) == null) {
          continue;
        }
        waiting.remove();
        int moved = ring.take(read.systemBuffer(), read.currentStackLocation().length());
        served.add(new Completion(read, IoResult.success(moved)));
      }
      return new Written(IoResult.success(length), served);
    }
  }

  /**
   * Takes out of the queue every waiting read made on {@code file} whose cancel routine it could
   * take back, to be completed with {@code STATUS_CANCELLED}: what {@code IRP_MJ_CLEANUP} does. A
   * read whose routine was taken is left to that routine.
   *
   * @return the reads taken out, oldest first
   */
  List<Irp> takePendingReadsOf(FileObject file) {
    synchronized (lock) {
      List<Irp> taken = new ArrayList<>();
      for (Iterator<Irp> waiting = pendingReads.iterator(); waiting.hasNext(); ) {
        Irp read = waiting.next();
        if (read.currentStackLocation().fileObject() == file
            && read.setCancelRoutine(null) != null) {
          waiting.remove();
          taken.add(read);
        }
      }
      return taken;
    }
  }

  /**
   * Takes a read out of the queue: what its cancel routine does before completing it.
   *
   * @return whether it was queued, which the cancel-safe protocol guarantees for a read whose
   *     cancel routine runs
   */
  boolean removeCancelledRead(Irp read) {
    synchronized (lock) {
      return pendingReads.removeFirstOccurrence(read);
    }
  }

  /** How many bytes are queued. */
  int available() {
    synchronized (lock) {
      return ring.available();
    }
  }

  /** How many reads wait for bytes, including any whose cancel routine is on its way. */
  int pendingReadCount() {
    synchronized (lock) {
      return pendingReads.size();
    }
  }
}
