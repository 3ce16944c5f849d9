package ntio.framework;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.ArrayDeque;
import ntio.ddk.NtStatus;

/**
 * The driver's dispose list: teardown work that was asked for above PASSIVE_LEVEL on objects that
 * must be disposed (or destroyed) at PASSIVE_LEVEL, run in arrival order on a System worker
 * thread. Models {@code FxDisposeList} ({@code fxdisposelist.cpp}: {@code Add} queues its work
 * item unless it is already queued, the work item drains the list, {@code WaitForEmpty} waits
 * until it is drained) with one list per driver (O10).
 *
 * <p>The WDFDRIVER's dispose waits for the list to be empty before the driver's own cleanup, as
 * {@code FxDriver::Dispose} calls {@code m_DisposeList->WaitForEmpty()}; a queued drain also holds
 * a reference on the framework globals, so the driver's teardown waits for it too (L7 d).
 *
 * <p>Thread-safe: its state is guarded by the driver's tree lock; the work runs without it.
 */
final class FxDisposeList {

  private final FxGlobals globals;

  @GuardedBy("globals.treeLock")
  private final ArrayDeque<Runnable> pending = new ArrayDeque<>();

  /** Whether a drain is queued or running: the next {@link #add} need not queue one. */
  @GuardedBy("globals.treeLock")
  private boolean draining;

  FxDisposeList(FxGlobals globals) {
    this.globals = globals;
  }

  /**
   * Adds the deferred dispose (or destroy) of {@code object}; queues a drain to a System worker if
   * none is queued. Callable at DISPATCH_LEVEL: it neither waits nor runs driver code.
   */
  void add(WdfObject object, Runnable work) {
    boolean queue;
    synchronized (globals.treeLock) {
      pending.addLast(work);
      queue = !draining;
      draining = true;
    }
    if (!queue) {
      return;
    }
    globals.reference();
    NtStatus queued = globals.services.queueExWorkItem(this::drain);
    if (!queued.isSuccess()) {
      // The kernel is shutting down and runs no more work items: dispose here rather than never.
      globals.verifierBreak("V-KMDF-DISPOSELIST", "the dispose list's work item could not be queued (" + queued
          + "); " + object + " is disposed on the deleting thread");
      drain();
    }
  }

  /** The work item: runs every pending entry, then marks the list idle. */
  private void drain() {
    try {
      while (true) {
        Runnable next;
        synchronized (globals.treeLock) {
          next = pending.pollFirst();
          if (next == null) {
            draining = false;
            globals.treeLock.notifyAll();
            return;
          }
        }
        next.run();
      }
    } finally {
      globals.release();
    }
  }

  /**
   * Waits until nothing is pending or running. Models {@code FxDisposeList::WaitForEmpty}; a wait
   * longer than {@code DbgWaitForSignalTimeoutInSec} is reported (V-KMDF-20) and goes on.
   */
  void waitForEmpty() {
    synchronized (globals.treeLock) {
      FxWait.waitLocked(globals, this::emptyLocked, () -> "for the driver's dispose list to drain ("
          + pendingLocked() + " deferred dispose(s) left)");
    }
  }

  @SuppressWarnings("GuardedBy") // called by FxWait with the tree lock held
  private boolean emptyLocked() {
    return !draining && pending.isEmpty();
  }

  @SuppressWarnings("GuardedBy") // called by FxWait with the tree lock held
  private int pendingLocked() {
    return pending.size();
  }
}
