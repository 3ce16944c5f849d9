package ntio.ddk;

/**
 * A request a driver built to send to another driver, and the wait for its result. Models the IRP
 * that {@code IoBuildDeviceIoControlRequest} or {@code IoBuildSynchronousFsdRequest} returns,
 * together with the event and the I/O status block the caller passed to it (full).
 *
 * <p>The driver sends {@link #irp()} with {@link KernelServices#callDriver}; if that returns
 * {@link NtStatus#STATUS_PENDING} it calls {@link #await()}, as it would wait on the event. The
 * I/O manager completes the request itself: the driver never completes or frees it.
 */
public interface BuiltRequest {

  /** The request to send; its next stack location holds the parameters. */
  Irp irp();

  /**
   * Waits until the request completed and returns its final status: {@code KeWaitForSingleObject}
   * on the event, then {@code IoStatus.Status}.
   */
  NtStatus await();

  /** {@code IoStatus.Information}, once completed. */
  long information();

  /**
   * The bytes the request returned into the caller's output buffer (a read's data, a device
   * control's output), once completed: a copy of the first {@code Information} bytes.
   */
  byte[] output();
}
