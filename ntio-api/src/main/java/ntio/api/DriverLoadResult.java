package ntio.api;

import java.util.Objects;
import ntio.ddk.NtStatus;

/**
 * What a driver load came to, or would come to ({@link NtApi#loadDriverDetailed}, a check of an
 * image before it is installed): the NT status {@code NtLoadDriver} returns, and one line for a
 * person saying why and what to do. NT itself keeps the why in the System event log (event 7000,
 * "The X service failed to start due to the following error"); ntio hands it back with the status.
 *
 * @param status {@code STATUS_SUCCESS} (or DriverEntry's own informational status), or why the
 *     driver was not loaded; unchanged from what {@link NtApi#loadDriver} returns
 * @param detail on a failure, which cause of the status it is and what to do (for {@code
 *     STATUS_DRIVER_ENTRYPOINT_NOT_FOUND}: no manifest entry, a class not in the image, a class
 *     that is no driver, an import the host cannot give; for {@code STATUS_DRIVER_BLOCKED}: the
 *     allowed image directories and how to add one; for {@code STATUS_INVALID_IMAGE_FORMAT}: what
 *     is wrong with the JAR); empty on success and when the kernel knows nothing beyond the status
 */
public record DriverLoadResult(NtStatus status, String detail) {

  /** Checks the parts are present. */
  public DriverLoadResult {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(detail, "detail");
  }

  /** A result with no more to say than its status. */
  public static DriverLoadResult of(NtStatus status) {
    return new DriverLoadResult(status, "");
  }

  /** The status and, when there is one, the detail: {@code STATUS_X (0x…): detail}. */
  public String describe() {
    return detail.isEmpty() ? status.toString() : status + ": " + detail;
  }
}
