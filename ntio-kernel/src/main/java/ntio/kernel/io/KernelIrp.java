package ntio.kernel.io;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import ntio.ddk.AbstractIrp;
import ntio.ddk.CancelRoutine;
import ntio.ddk.ProcessorMode;

/**
 * An I/O request packet: the DDK's {@link AbstractIrp} (the fields and inline routines {@code
 * wdm.h} defines) with what the I/O manager keeps besides: the file it is for, what happens when
 * the last stack location is completed, the completion mark, the sender's wait and {@code
 * IoFreeIrp}'s state. Models {@code IRP} (partial: no associated IRPs, one-buffer MDLs).
 *
 * <p>Thread-safety follows NT's ownership rule (see {@link AbstractIrp}); {@link
 * #beginCompletion()} makes a second completion detectable, whatever the threads.
 */
final class KernelIrp extends AbstractIrp {

  /** What the I/O manager does once every stack location is completed: IopCompleteRequest. */
  interface Finisher {
    void finish(KernelIrp irp);
  }

  private final KernelFileObject originalFile;
  private final Finisher finisher;
  private static final VarHandle COMPLETING;

  static {
    try {
      COMPLETING = MethodHandles.lookup().findVarHandle(KernelIrp.class, "completing", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Whether IoCompleteRequest is running or ran: set only through {@link #COMPLETING}. */
  @SuppressWarnings("unused")
  private volatile boolean completing;
  /** The one thread waiting in {@link #awaitFinished()}, or null. */
  private volatile Thread waiter;
  private volatile boolean finished;
  /** Whether a driver allocated it ({@code IoAllocateIrp}), and whether it was freed. */
  private final boolean allocated;
  private volatile boolean freed;
  /** What the verifier's PnP IRP checks saw of this request, when the PnP manager sent it. */
  private volatile PnpIrpWatch pnpWatch;

  /**
   * A request with {@code stackCount} locations.
   *
   * @param originalFile the file object the request is for; the request holds a reference to it
   *     that {@code finisher} gives back. Null for a request not made for a file.
   * @param finisher what runs once the request is completed past its top location, on the
   *     completing thread; null when the sender waits with {@link #awaitFinished()} instead
   */
  KernelIrp(int stackCount, ProcessorMode requestorMode, byte[] systemBuffer,
      KernelFileObject originalFile, Finisher finisher) {
    this(stackCount, requestorMode, systemBuffer, originalFile, finisher, false);
  }

  /** A request a driver allocated with {@code IoAllocateIrp}. */
  static KernelIrp allocated(int stackCount, byte[] systemBuffer) {
    return new KernelIrp(stackCount, ProcessorMode.KERNEL, systemBuffer, null, null, true);
  }

  private KernelIrp(int stackCount, ProcessorMode requestorMode, byte[] systemBuffer,
      KernelFileObject originalFile, Finisher finisher, boolean allocated) {
    super(stackCount, requestorMode, systemBuffer);
    this.originalFile = originalFile;
    this.finisher = finisher;
    this.allocated = allocated;
  }

  /** The DDK's I/O manager steps on this request, for {@link Requests}. */
  IoManagerSteps steps() {
    return ioManagerSteps();
  }

  /** IoCancelIrp's two steps: mark cancelled, then take the routine (null if there is none). */
  CancelRoutine markCancelledAndTakeRoutine() {
    ioManagerSteps().markCancelled();
    return ioManagerSteps().takeCancelRoutine();
  }

  // The I/O manager's own state -------------------------------------------------------------------

  /** The PnP IRP checks' record of this request, or null when it is not watched. */
  PnpIrpWatch pnpWatch() {
    return pnpWatch;
  }

  void watchPnp(PnpIrpWatch watch) {
    this.pnpWatch = watch;
  }

  boolean isAllocated() {
    return allocated;
  }

  /** IoFreeIrp's mark; false if it was freed already. */
  boolean markFreed() {
    if (freed) {
      return false;
    }
    freed = true;
    return true;
  }

  boolean isFreed() {
    return freed;
  }

  KernelFileObject originalFile() {
    return originalFile;
  }

  /**
   * Starts IoCompleteRequest; false if the request is already being completed or was completed
   * (a second completion).
   */
  boolean beginCompletion() {
    return !finished && COMPLETING.compareAndSet(this, false, true);
  }

  /** Whether IoCompleteRequest is running on it now, or ran and was not handed back. */
  boolean isCompletionStarted() {
    return (boolean) COMPLETING.getVolatile(this);
  }

  /** A completion routine returned STATUS_MORE_PROCESSING_REQUIRED: the request is owned again. */
  void handBack() {
    COMPLETING.setVolatile(this, false);
  }

  /** The last location was completed: the request is the I/O manager's for good. */
  void finish() {
    finished = true;
    Thread waiting = waiter;
    if (waiting != null) {
      LockSupport.unpark(waiting);
    }
    if (finisher != null) {
      finisher.finish(this);
    }
  }

  /**
   * Waits, non-alertable and however long it takes, until {@link #finish()} ran. Only the sender
   * waits, so there is at most one waiter: it publishes itself, then checks, and {@link #finish()}
   * sets the flag, then looks for it, so one of the two always sees the other.
   */
  void awaitFinished() {
    if (finished) {
      return;
    }
    waiter = Thread.currentThread();
    boolean interrupted = false;
    while (!finished) {
      LockSupport.park(this);
      interrupted |= Thread.interrupted();
    }
    waiter = null;
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Whether IoCompleteRequest ran past the top location. */
  boolean isFinished() {
    return finished;
  }

  @Override
  public String toString() {
    IoManagerSteps steps = ioManagerSteps();
    return "IRP[" + ntio.ddk.MajorFunctions.name(steps.location(stackCount()).majorFunction())
        + ", location " + steps.currentLocation() + "/" + stackCount()
        + (isCancelled() ? ", cancelled" : "")
        + (finished ? ", completed " + ioStatus().status() : "") + "]";
  }
}
