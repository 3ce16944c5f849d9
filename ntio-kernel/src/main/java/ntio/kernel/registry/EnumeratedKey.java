package ntio.kernel.registry;

import java.util.Objects;
import ntio.ddk.NtStatus;

/**
 * The answer to an enumeration of subkeys. Models {@code NtEnumerateKey} with {@code
 * KeyBasicInformation} (full, less {@code TitleIndex}), plus the subkey's id.
 *
 * @param status the NT status of the call; {@code STATUS_NO_MORE_ENTRIES} past the last subkey
 * @param keyId the subkey's id; {@code 0} unless the status is a success
 * @param name the subkey's name as created; {@code ""} unless the status is a success
 * @param lastWriteTime the subkey's {@code LastWriteTime} ({@code FILETIME} ticks); {@code 0}
 *     unless the status is a success
 */
public record EnumeratedKey(NtStatus status, long keyId, String name, long lastWriteTime) {

  /** Checks the status and name are present. */
  public EnumeratedKey {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(name, "name");
  }

  static EnumeratedKey failed(NtStatus status) {
    return new EnumeratedKey(status, 0, "", 0);
  }
}
