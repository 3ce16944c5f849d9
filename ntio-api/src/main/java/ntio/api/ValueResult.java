package ntio.api;

import java.util.Objects;
import ntio.ddk.NtStatus;
import ntio.ddk.RegValue;

/**
 * The answer to a query or enumeration of one value. Models {@code NtQueryValueKey} and {@code
 * NtEnumerateValueKey} with {@code KeyValueFullInformation} (full, less {@code TitleIndex}).
 *
 * @param status the NT status of the call
 * @param value the value; {@code null} unless the status is a success
 */
public record ValueResult(NtStatus status, RegValue value) {

  /** Checks that a success carries the value and a failure does not. */
  public ValueResult {
    Objects.requireNonNull(status, "status");
    if (status.isSuccess() != (value != null)) {
      throw new IllegalArgumentException("status " + status + " with value " + value);
    }
  }

  /**
   * The value.
   *
   * <p>No NT counterpart: NT leaves the output buffer untouched on failure.
   *
   * @throws IllegalStateException if the call failed: reading it then is a bug in the caller
   */
  @Override
  public RegValue value() {
    if (value == null) {
      throw new IllegalStateException("no value: " + status);
    }
    return value;
  }

  /** A failed query: the status and no value. */
  public static ValueResult failed(NtStatus status) {
    return new ValueResult(status, null);
  }
}
