package ntio.ddk;

/**
 * An I/O request packet. Models {@code IRP} (partial: no associated IRPs, one-buffer MDLs).
 *
 * <p>One stack location per device in the stack below the sender. A driver reads its parameters
 * from {@link #currentStackLocation()}, and either completes the request ({@link
 * KernelServices#completeRequest}), passes it down ({@link #skipCurrentStackLocation()} or {@link
 * #copyCurrentStackLocationToNext()}, then {@link KernelServices#callDriver}), or keeps it
 * ({@link #markPending()}, return {@link NtStatus#STATUS_PENDING}) to complete later from any
 * thread.
 */
public interface Irp {

  /** {@code IoStatus}. */
  IoStatusBlock ioStatus();

  /** The current stack location. Models {@code IoGetCurrentIrpStackLocation} (full). */
  IoStackLocation currentStackLocation();

  /**
   * Makes the next driver down see this driver's stack location as its own: what a filter that
   * does not need to see the result does before {@link KernelServices#callDriver}. Models
   * {@code IoSkipCurrentIrpStackLocation} (full).
   */
  void skipCurrentStackLocation();

  /**
   * Copies this driver's stack location into the next one down, for a driver that passes the
   * request on and wants it back. Models {@code IoCopyCurrentIrpStackLocationToNext} (full).
   */
  void copyCurrentStackLocationToNext();

  /** {@code StackCount}. */
  int stackCount();

  /** {@code RequestorMode}: where the request came from. */
  ProcessorMode requestorMode();

  /**
   * {@code PendingReturned}: whether the driver below returned {@link NtStatus#STATUS_PENDING}
   * for this request. Meaningful in a completion routine.
   */
  boolean pendingReturned();

  /**
   * Marks the current stack location pending: the driver will return {@link
   * NtStatus#STATUS_PENDING} and complete the request later. Models {@code IoMarkIrpPending}
   * (full).
   */
  void markPending();

  /**
   * The stack location of the next driver down, where a driver sets the parameters of a request it
   * passes on. Models {@code IoGetNextIrpStackLocation} (full).
   *
   * @throws IllegalStateException if this is the last stack location
   */
  IoStackLocation nextStackLocation();

  /**
   * Asks for {@code routine} to run when the next driver down completes the request. Models
   * {@code IoSetCompletionRoutine} (full): it is stored in the next stack location, so call it
   * after {@link #copyCurrentStackLocationToNext()} and before {@link KernelServices#callDriver}.
   * At least one of the three conditions should be true.
   *
   * @param routine the routine, or null to remove one set before
   * @param context what the routine is given back
   * @param invokeOnSuccess run it when the final status is a success (or informational or warning)
   * @param invokeOnError run it when the final status is an error
   * @param invokeOnCancel run it when the request was cancelled
   */
  void setCompletionRoutine(CompletionRoutine routine, Object context, boolean invokeOnSuccess,
      boolean invokeOnError, boolean invokeOnCancel);

  /**
   * Sets the routine that cancels this pending request, as one atomic exchange. Models {@code
   * IoSetCancelRoutine} (full).
   *
   * @param routine the routine, or null to take it back before completing the request
   * @return the routine set before, or null; null from {@code setCancelRoutine(null)} means the
   *     request is being cancelled and its cancel routine will (or did) complete it
   */
  CancelRoutine setCancelRoutine(CancelRoutine routine);

  /**
   * {@code Cancel}: whether the request was cancelled. A driver about to queue the request checks
   * it after setting its cancel routine, because a cancel that came first found no routine to
   * call.
   */
  boolean isCancelled();

  /**
   * {@code CancelIrql}: the IRQL the cancelling thread was at when it took the cancel spin lock. A
   * cancel routine, called holding that lock, releases it with {@code
   * services.releaseCancelSpinLock(irp.cancelIrql())}.
   */
  Irql cancelIrql();

  /**
   * {@code AssociatedIrp.SystemBuffer}: for buffered reads, writes and device controls, the
   * kernel's copy of the caller's buffer: as long as the request's length for a read or write,
   * and as long as the larger of the input and output lengths for a device control (the input
   * bytes first). A write's buffer holds
   * the caller's bytes; a read fills it and sets {@code IoStatus.Information} to the bytes it
   * filled, which the I/O manager copies back. Empty for requests without data.
   */
  byte[] systemBuffer();

  /**
   * {@code MdlAddress}: for a read or write of a device with {@link DeviceFlags#DO_DIRECT_IO},
   * and for the output buffer of a {@code METHOD_IN_DIRECT} or {@code METHOD_OUT_DIRECT} device
   * control, the caller's buffer itself; null otherwise.
   */
  Mdl mdlAddress();

  /**
   * {@code UserBuffer}: for neither I/O — a read or write of a device with neither {@code
   * DO_BUFFERED_IO} nor {@code DO_DIRECT_IO}, and the output of a {@code METHOD_NEITHER} device
   * control — a view of the caller's buffer; null otherwise. ntio makes it read-only for a write,
   * which NT leaves to the driver's care.
   */
  java.nio.ByteBuffer userBuffer();
}
