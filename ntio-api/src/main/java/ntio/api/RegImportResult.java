package ntio.api;

import java.util.Objects;
import ntio.ddk.NtStatus;

/**
 * The answer to an import.
 *
 * @param status {@code STATUS_SUCCESS}; {@code STATUS_INVALID_PARAMETER} for a malformed file; or
 *     the status of the step that failed, such as {@code STATUS_CHILD_MUST_BE_VOLATILE}
 * @param line the 1-based line of the error; {@code 0} on success
 * @param message what is wrong, precisely; {@code ""} on success
 */
public record RegImportResult(NtStatus status, int line, String message) {

  /** Checks the parts are present. */
  public RegImportResult {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(message, "message");
  }

  /** A successful import. */
  public static RegImportResult success() {
    return new RegImportResult(NtStatus.STATUS_SUCCESS, 0, "");
  }
}
