package ntio.api;

import java.util.Objects;
import ntio.ddk.NtStatus;

/**
 * The answer to a query of a key. Models {@code NtQueryKey} with {@code KeyFullInformation} and
 * {@code KeyNameInformation} (partial, see {@link KeyInfo}).
 *
 * @param status the NT status of the call
 * @param info what the key holds; {@code null} unless the status is a success
 */
public record KeyInfoResult(NtStatus status, KeyInfo info) {

  /** Checks that a success carries the information and a failure does not. */
  public KeyInfoResult {
    Objects.requireNonNull(status, "status");
    if (status.isSuccess() != (info != null)) {
      throw new IllegalArgumentException("status " + status + " with info " + info);
    }
  }

  /**
   * The information.
   *
   * <p>No NT counterpart: NT leaves the output buffer untouched on failure.
   *
   * @throws IllegalStateException if the call failed: reading it then is a bug in the caller
   */
  @Override
  public KeyInfo info() {
    if (info == null) {
      throw new IllegalStateException("no key information: " + status);
    }
    return info;
  }

  /** A failed query: the status and no information. */
  public static KeyInfoResult failed(NtStatus status) {
    return new KeyInfoResult(status, null);
  }
}
