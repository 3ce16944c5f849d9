package ntio.ddk;

/**
 * An I/O request packet. Models {@code IRP} (partial: buffered I/O; direct I/O, cancellation and
 * completion routines come with the I/O path).
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

  /** {@code PendingReturned}. */
  boolean pendingReturned();

  /**
   * {@code AssociatedIrp.SystemBuffer}: for buffered reads, writes and device controls, the
   * kernel's copy of the caller's buffer: as long as the request's length for a read or write,
   * and as long as the larger of the input and output lengths for a device control (the input
   * bytes first). A write's buffer holds
   * the caller's bytes; a read fills it and sets {@code IoStatus.Information} to the bytes it
   * filled, which the I/O manager copies back. Empty for requests without data.
   */
  byte[] systemBuffer();
}
