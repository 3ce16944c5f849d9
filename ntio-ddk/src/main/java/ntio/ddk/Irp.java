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

  /** {@code StackCount}. */
  int stackCount();

  /** {@code RequestorMode}: where the request came from. */
  ProcessorMode requestorMode();

  /** {@code PendingReturned}. */
  boolean pendingReturned();

  /**
   * {@code AssociatedIrp.SystemBuffer}: for buffered reads, writes and device controls, the
   * kernel's copy of the caller's buffer, as long as the request's length. A write's buffer holds
   * the caller's bytes; a read fills it and sets {@code IoStatus.Information} to the bytes it
   * filled, which the I/O manager copies back. Empty for requests without data.
   */
  byte[] systemBuffer();
}
