package ntio.api;

import java.util.Objects;
import ntio.ddk.NtStatus;

/**
 * The answer to {@link NtApi#installDevice}: the status and the new device's instance path. A
 * device that was installed but did not start (its driver failed to load, AddDevice failed) is
 * still a success here; its devnode's problem code says why, as {@code devcon status} shows.
 *
 * @param status {@code STATUS_SUCCESS} once the instance key is written
 * @param instancePath the new device's instance path; empty on failure
 */
public record DeviceInstallResult(NtStatus status, String instancePath) {

  /** Checks the fields. */
  public DeviceInstallResult {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(instancePath, "instancePath");
  }

  /** A refusal: the status and nothing else. */
  public static DeviceInstallResult failed(NtStatus status) {
    return new DeviceInstallResult(status, "");
  }
}
