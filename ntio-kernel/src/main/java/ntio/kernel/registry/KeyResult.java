package ntio.kernel.registry;

import java.util.Objects;
import ntio.ddk.NtStatus;

/**
 * The answer to a lookup of one key: the status and, on success, the key's id.
 *
 * @param status the NT status of the call
 * @param keyId the key found; {@code 0} (no key has this id) unless the status is a success
 */
public record KeyResult(NtStatus status, long keyId) {

  /** Checks the status is present. */
  public KeyResult {
    Objects.requireNonNull(status, "status");
  }

  static KeyResult found(long keyId) {
    return new KeyResult(NtStatus.STATUS_SUCCESS, keyId);
  }

  static KeyResult failed(NtStatus status) {
    return new KeyResult(status, 0);
  }
}
