package ntio.ddk;

/**
 * What runs when a pending request is cancelled. Models {@code DRIVER_CANCEL} (partial: ntio
 * has no IRQL and no global cancel spin lock, so the routine is called without one and needs no
 * {@code IoReleaseCancelSpinLock}; the exchange in {@link Irp#setCancelRoutine} is what makes the
 * protocol safe).
 *
 * <p>The routine runs at most once per request, on the thread that cancelled it, without any
 * kernel lock held. It owns the request: it takes it off the driver's queue and completes it
 * with {@link NtStatus#STATUS_CANCELLED}. A driver completing the request on another path first
 * calls {@code irp.setCancelRoutine(null)}: a null answer means the cancel routine was already
 * taken and will complete the request, so that path must leave it alone.
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
