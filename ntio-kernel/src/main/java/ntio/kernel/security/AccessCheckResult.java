package ntio.kernel.security;

import java.util.Objects;
import ntio.ddk.AccessMask;
import ntio.ddk.NtStatus;

/**
 * The outcome of an access check: {@code SeAccessCheck}'s {@code AccessStatus} and {@code
 * GrantedAccess} (full).
 *
 * @param status {@code STATUS_SUCCESS}, {@code STATUS_ACCESS_DENIED} or {@code
 *     STATUS_PRIVILEGE_NOT_HELD}
 * @param grantedAccess the rights granted, all specific (no generic bits, no {@code
 *     MAXIMUM_ALLOWED}); {@code 0} on failure
 */
public record AccessCheckResult(NtStatus status, int grantedAccess) {

  /**
   * Validates the pair.
   *
   * @throws IllegalArgumentException if a failure carries granted rights
   */
  public AccessCheckResult {
    Objects.requireNonNull(status, "status");
    if (!status.isSuccess() && grantedAccess != 0) {
      throw new IllegalArgumentException(
          "failed check " + status + " cannot grant " + AccessMask.toString(grantedAccess));
    }
  }

  static AccessCheckResult granted(int grantedAccess) {
    return new AccessCheckResult(NtStatus.STATUS_SUCCESS, grantedAccess);
  }

  static AccessCheckResult failed(NtStatus status) {
    return new AccessCheckResult(status, 0);
  }

  /** Whether access was granted ({@code SeAccessCheck} returned {@code TRUE}). */
  public boolean isGranted() {
    return status.isSuccess();
  }

  /** {@code STATUS_SUCCESS (0x00000000) granted 0x001F01FF}. */
  @Override
  public String toString() {
    return status + " granted " + AccessMask.toString(grantedAccess);
  }
}
