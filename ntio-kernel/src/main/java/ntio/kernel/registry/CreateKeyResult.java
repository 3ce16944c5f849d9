package ntio.kernel.registry;

import java.util.Objects;
import ntio.ddk.NtStatus;

/**
 * The answer to a create-or-open of a key. Models the status and {@code Disposition} of {@code
 * NtCreateKey} (full).
 *
 * @param status the NT status of the call
 * @param keyId the key created or opened; {@code 0} unless the status is a success
 * @param disposition {@link Hive#REG_CREATED_NEW_KEY} or {@link Hive#REG_OPENED_EXISTING_KEY};
 *     {@code 0} unless the status is a success
 */
public record CreateKeyResult(NtStatus status, long keyId, int disposition) {

  /** Checks the status is present. */
  public CreateKeyResult {
    Objects.requireNonNull(status, "status");
  }

  /** Whether the disposition is {@code REG_CREATED_NEW_KEY}. Models the test on it (full). */
  public boolean created() {
    return disposition == Hive.REG_CREATED_NEW_KEY;
  }

  static CreateKeyResult failed(NtStatus status) {
    return new CreateKeyResult(status, 0, 0);
  }
}
