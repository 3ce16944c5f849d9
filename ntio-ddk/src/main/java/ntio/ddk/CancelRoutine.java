package ntio.ddk;

/**
 * What runs when a pending request is cancelled. Models {@code DRIVER_CANCEL} (full).
 *
 * <p>The routine is called at DISPATCH_LEVEL holding the cancel spin lock, at most once per
 * request, on the thread that cancelled it, with no kernel lock held. Its first act is to release
 * that lock with {@code services.releaseCancelSpinLock(irp.cancelIrql())} (a driver with its own
 * queue lock may take that first), which lowers the IRQL back to the canceller's. It owns the
 * request: it takes it off the driver's queue and completes it with {@link
 * NtStatus#STATUS_CANCELLED}. A driver completing the request on another path first calls {@code
 * irp.setCancelRoutine(null)}: a null answer means the cancel routine was already taken and will
 * complete the request, so that path must leave it alone.
 *
 * <p>A routine that returns still holding the cancel spin lock leaves the canceller at
 * DISPATCH_LEVEL; NT's next wait or return to user mode bug-checks, and so does ntio's.
 */
@FunctionalInterface
public interface CancelRoutine {

  /**
   * Cancels a pending request.
   *
   * @param device the device the request was pending on (the current stack location's)
   * @param irp the request; {@link Irp#isCancelled()} is true
   */
  void cancel(DeviceObject device, Irp irp);
}
