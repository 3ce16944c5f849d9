package ntio.api;

import java.util.Objects;
import ntio.ddk.NtStatus;

/**
 * Something that happened to a driver, as the kernel tells a {@link DriverEventListener}: the
 * story a host's log tells (NT's System event log entries of the service control manager and the
 * I/O manager: 7000 "failed to start", 7036 "entered the running / stopped state").
 *
 * @param kind what happened
 * @param service the driver's service name, as the registry spells it; for a load that failed
 *     before the key was read, the last component of the key path it was given
 * @param driverObject the driver object's name, such as {@code \Driver\Echo}; empty when there is
 *     none (a load that failed before it was made); null is taken as empty
 * @param status {@link Kind#LOAD_FAILED}: what NtLoadDriver returned; otherwise {@code
 *     STATUS_SUCCESS}
 * @param detail one line for a person: for a failure, its {@link DriverLoadResult#detail()}; for a
 *     deferred unload, what keeps the driver; may be empty
 */
public record DriverEvent(Kind kind, String service, String driverObject, NtStatus status,
    String detail) {

  /**
   * What happened. New kinds may be added (a listener's {@code switch} should have a default): a
   * bug check is reported as its own kind by the crash handling.
   */
  public enum Kind {
    /** DriverEntry returned success: the driver is running. */
    LOADED,
    /** NtLoadDriver failed: {@link DriverEvent#status()} and {@link DriverEvent#detail()} say why. */
    LOAD_FAILED,
    /** DriverUnload ran at NtUnloadDriver's request, and the driver object is gone. */
    UNLOADED,
    /**
     * NtUnloadDriver succeeded but something holds the driver (an open handle, a device attached
     * on top): DriverUnload runs when the last hold goes.
     */
    UNLOAD_DEFERRED,
    /** A deferred unload finished: DriverUnload ran once the last hold went. */
    DEFERRED_UNLOAD_COMPLETED
  }

  /** Checks the kind, service and status are present; a null driver object or detail is empty. */
  public DriverEvent {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(status, "status");
    driverObject = Objects.requireNonNullElse(driverObject, "");
    detail = Objects.requireNonNullElse(detail, "");
  }
}
