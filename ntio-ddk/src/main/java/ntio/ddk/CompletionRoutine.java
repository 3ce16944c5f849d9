package ntio.ddk;

/**
 * What a driver asks to run when a request it passed down is completed. Models {@code
 * IO_COMPLETION_ROUTINE} (full), set with {@link Irp#setCompletionRoutine}.
 *
 * <p>Routines run bottom-up, each for the driver that set it, on the thread that completed the
 * request, and without any kernel lock held. Returning {@link
 * NtStatus#STATUS_MORE_PROCESSING_REQUIRED} stops completion: the request is the driver's again,
 * to complete once more later (or, for one it allocated, to free). Any other status lets
 * completion go on upward. A routine that lets it go on must call {@link Irp#markPending()} when
 * {@link Irp#pendingReturned()} is true, as NT requires.
 */
@FunctionalInterface
public interface CompletionRoutine {

  /**
   * Called when the request completes past the driver that set this routine.
   *
   * @param device the device of the driver that set the routine; null when the routine was set
   *     by whoever built the request, above every driver
   * @param irp the request, whose {@code IoStatus} holds the lower driver's result
   * @param context the context given to {@link Irp#setCompletionRoutine}
   * @return {@link NtStatus#STATUS_MORE_PROCESSING_REQUIRED} to stop completion here; any other
   *     status to continue
   */
  NtStatus onCompletion(DeviceObject device, Irp irp, Object context);
}
