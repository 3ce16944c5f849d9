package ntio.api;

import java.util.List;
import java.util.Objects;
import ntio.ddk.NtStatus;

/**
 * What keeps one driver loaded: the answer to {@link NtApi#queryDriverHolders}. While an unload is
 * deferred ({@code STOP_PENDING}), the rows whose {@link Holder#blocksUnload()} is true are what it
 * waits for; when the last of them goes, DriverUnload runs. A snapshot: holders come and go while
 * it is taken, so it may list a handle closed a moment later.
 *
 * @param status {@code STATUS_SUCCESS}; {@code STATUS_OBJECT_NAME_NOT_FOUND} when no loaded driver
 *     was started by that service; {@code STATUS_SYSTEM_SHUTDOWN} once the kernel stopped serving
 * @param service the service name, as the driver object records it; empty on failure
 * @param driverName the driver object's name ({@code \Driver\Echo}); empty on failure
 * @param unloadPending whether an unload was asked for and is deferred ({@code STOP_PENDING})
 * @param holders the holders, devices in the driver's device-list order, and for each device its
 *     handles by process and handle value, then the rest by kind
 */
public record DriverHolders(NtStatus status, String service, String driverName, boolean unloadPending,
    List<Holder> holders) {

  /** Copies the list. */
  public DriverHolders {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(driverName, "driverName");
    holders = List.copyOf(holders);
  }

  /** A refusal: the status and nothing else. */
  public static DriverHolders failed(NtStatus status) {
    return new DriverHolders(status, "", "", false, List.of());
  }

  /** Whether anything listed keeps DriverUnload from running. */
  public boolean blocked() {
    return holders.stream().anyMatch(Holder::blocksUnload);
  }
}
