package ntio.api;

import java.util.Objects;
import ntio.ddk.NtStatus;

/**
 * The answer to an export.
 *
 * @param status {@code STATUS_SUCCESS}; {@code STATUS_INVALID_PARAMETER} for a key outside {@code
 *     HKEY_LOCAL_MACHINE} and {@code HKEY_USERS} or a name a text file cannot hold; the status of
 *     a failed read, such as {@code STATUS_KEY_DELETED}
 * @param text the file's text with CR LF line ends; {@code ""} unless the status is a success
 * @param message why the export failed; {@code ""} on success
 */
public record RegExportResult(NtStatus status, String text, String message) {

  /** Checks the parts are present. */
  public RegExportResult {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(message, "message");
  }

  /**
   * The text. No NT counterpart.
   *
   * @throws IllegalStateException if the export failed
   */
  @Override
  public String text() {
    if (!status.isSuccess()) {
      throw new IllegalStateException("no text: " + status + ": " + message);
    }
    return text;
  }
}
