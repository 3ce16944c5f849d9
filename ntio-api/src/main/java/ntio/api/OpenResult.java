package ntio.api;

import ntio.ddk.Handle;
import ntio.ddk.NtStatus;

/** The result of a call that opens or creates a handle. */
public record OpenResult(NtStatus status, Handle handle) {
  /** A failed call: the status and {@link Handle#NULL}. */
  public static OpenResult failed(NtStatus status) {
    return new OpenResult(status, Handle.NULL);
  }
}
