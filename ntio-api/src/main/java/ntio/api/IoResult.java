package ntio.api;

import java.util.Objects;
import ntio.ddk.NtStatus;

/**
 * What a read, write, device control or file-information call gives back to its caller, as NT
 * gives it (the kernel's {@code StatusBlockRules}).
 *
 * @param status what the system service returned: for a synchronous call the dispatch routine's
 *     return value, or the final {@code IoStatus.Status} when it returned {@code
 *     STATUS_PENDING}; for an overlapped request's completion, the final {@code
 *     IoStatus.Status}
 * @param information {@code IoStatus.Information} as written to the caller's status block; 0
 *     when the block was not written
 * @param data what the caller's buffer received: for buffered I/O the first {@code
 *     Information} bytes, none for an error or {@code STATUS_VERIFY_REQUIRED}; for a
 *     METHOD_OUT_DIRECT or METHOD_NEITHER control the whole output buffer as the driver left
 *     it, whatever the status; empty for other requests
 * @param ioStatusWritten whether NT wrote the caller's {@code IO_STATUS_BLOCK} (and, for an
 *     overlapped call, signalled its event and ran its APC): false for an error completed
 *     without pending, and for a call refused before any driver saw it. When false, the
 *     caller's block keeps what it held
 * @param ioStatus {@code IoStatus.Status} as written to the caller's status block; equal to
 *     {@code status} when the block was not written
 */
public record IoResult(NtStatus status, long information, byte[] data, boolean ioStatusWritten,
    NtStatus ioStatus) {

  public IoResult {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(ioStatus, "ioStatus");
  }

  /**
   * A result whose status block holds {@code status}: written unless {@code status} is an error
   * (what NT does for a request completed without pending with the status its dispatch
   * routine returned).
   */
  public IoResult(NtStatus status, long information, byte[] data) {
    this(status, information, data, !status.isError(), status);
  }

  /** A call refused before any request was sent: the status block is not written. */
  public static IoResult failed(NtStatus status) {
    return new IoResult(status, 0, new byte[0], false, status);
  }
}
