package ntio.framework;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import ntio.ddk.Irp;
import ntio.ddk.NtStatus;

/**
 * {@code WDFREQUEST}: an I/O request the framework delivered to a queue, wrapping its WDM {@link
 * Irp}. Models {@code FxRequest} for I/O-delivered requests (partial: no request objects the
 * driver creates, no I/O targets, no cancel-on-presented).
 *
 * <p>It has no parent ({@code RequestParentOptimizationOn}, the default) and the driver completes
 * it rather than deleting it (O14): completion completes the IRP and tears the object down, so the
 * handle is destroyed unless the driver holds a reference; any later call on it is 0x10D/0x5.
 */
public final class WdfRequest extends WdfObject {

  private final Irp irp;
  private final WdfDevice device;

  /** The queue it is in or was presented from; null before it is queued. */
  @GuardedBy("treeLock")
  private WdfIoQueue queue;

  /** Whether it was handed to the driver (by a callback or a retrieve) and not yet completed or forwarded. */
  @GuardedBy("treeLock")
  private boolean presented;

  @GuardedBy("treeLock")
  private boolean completed;

  WdfRequest(FxGlobals globals, FxPool.Allocation allocation, Irp irp, WdfDevice device) {
    super(globals, WdfHandleType.WDFREQUEST, allocation, null);
    this.irp = irp;
    this.device = device;
    markNoDeleteDdi();
  }

  /** The WDM request. Models {@code WdfRequestWdmGetIrp} (full). */
  public Irp wdmIrp() {
    return irp;
  }

  /** {@code IRP_MJ_*} of the request. */
  public int majorFunction() {
    return irp.currentStackLocation().majorFunction();
  }

  WdfDevice device() {
    return device;
  }

  @SuppressWarnings("GuardedBy") // see FxTreeLock
  void queuedLocked(WdfIoQueue into) {
    assert Thread.holdsLock(treeLock) : "tree lock not held";
    queue = into;
    presented = false;
  }

  @SuppressWarnings("GuardedBy") // see FxTreeLock
  void presentedLocked(WdfIoQueue from) {
    assert Thread.holdsLock(treeLock) : "tree lock not held";
    queue = from;
    presented = true;
  }

  @SuppressWarnings("GuardedBy") // see FxTreeLock
  boolean isPresentedLocked() {
    assert Thread.holdsLock(treeLock) : "tree lock not held";
    return presented && !completed;
  }

  @SuppressWarnings("GuardedBy") // see FxTreeLock
  WdfIoQueue queueLocked() {
    assert Thread.holdsLock(treeLock) : "tree lock not held";
    return queue;
  }

  /**
   * Completes the request: sets the IRP's status and information, completes it, and tears the
   * request down. Models {@code WdfRequestCompleteWithInformation} (partial: no priority boost).
   */
  void complete(NtStatus status, long information) {
    WdfIoQueue from;
    boolean wasPresented;
    synchronized (treeLock) {
      if (completed) {
        throw globals.bugCheck(FxGlobals.WDF_REQUEST_FATAL_ERROR, handle(), address(),
            this + " completed twice");
      }
      completed = true;
      from = queue;
      wasPresented = presented;
      presented = false;
    }
    if (from != null && wasPresented) {
      from.presentedRequestDone();
    }
    irp.ioStatus().setStatus(status);
    irp.ioStatus().setInformation(information);
    globals.services.completeRequest(irp, 0);
    delete(false);
    if (from != null) {
      from.dispatchWaiting();
    }
  }
}
