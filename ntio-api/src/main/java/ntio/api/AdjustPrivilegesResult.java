package ntio.api;

import java.util.List;
import java.util.Objects;
import ntio.ddk.NtStatus;

/**
 * What {@code NtAdjustPrivilegesToken} returns: its status and the {@code PreviousState} buffer
 * (full).
 *
 * @param status {@code STATUS_SUCCESS}, or {@code STATUS_NOT_ALL_ASSIGNED} (a success code) when
 *     some requested privileges were not in the token
 * @param previousState each privilege whose attributes this call changed, with its attributes
 *     before the change, in the token's order; immutable
 */
public record AdjustPrivilegesResult(NtStatus status, List<LuidAndAttributes> previousState) {

  /** Copies the previous state. */
  public AdjustPrivilegesResult {
    Objects.requireNonNull(status, "status");
    previousState = List.copyOf(previousState);
  }
}
