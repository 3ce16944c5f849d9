package ntio.api;

import java.util.Objects;

/**
 * One thing that keeps a driver loaded, or that will still run the driver's code: what {@code sc
 * query} lists under a service in {@code STOP_PENDING} ("what still holds my driver?"). A row of
 * {@link DriverHolders}.
 *
 * <p>The fields a kind does not have are empty strings, {@code 0} or {@code -1}, as each field
 * says.
 *
 * @param kind what holds the driver
 * @param device the driver's device it holds ({@code \Device\Echo}, or the device's description
 *     when it has no name); for {@link Kind#WORK_ITEM}, {@link Kind#TIMER} and {@link
 *     Kind#SYSTEM_THREAD} the device a work item references, else empty
 * @param blocksUnload whether this holder alone keeps DriverUnload from running: open handles and
 *     opens, attached devices and a file-system registration do; a pending request holds its file
 *     object (whose open is listed too); work items, timers and System threads do not, but they
 *     run the driver's code, and an unload under them is bug check 0xCE
 * @param processId the kernel process id of the client that holds it (what {@code ntio handle -p}
 *     takes, and what the host log names when the client connects); 0 when no process is
 *     named, for example for an attached device or a holder of another user the caller may not see
 * @param processName that process's name ({@code ntio}, {@code shell}); empty when none
 * @param user the process's user as the kernel's token names it ({@code Unix User\1000}); empty
 *     when none
 * @param unixUid the process's Unix uid (from its token's {@code S-1-22-1-<uid>}, which the host
 *     took from the socket's peer credentials), or -1 when the user is not a Unix user or none is
 *     named
 * @param handle the handle value in that process's handle table ({@code 0x4}), or 0 when the
 *     holder is not a handle
 * @param detail what a reader needs besides: the attached device and its driver, the pending
 *     request's major function, the work item's or timer's routine, how many opens have no handle
 * @param unixPid the Unix process id of the client that holds it, as the host established it when
 *     the client connected ({@link UnixPid#UNKNOWN} when no process is named, the process is not a
 *     socket client, or the client stated none)
 */
public record Holder(Kind kind, String device, boolean blocksUnload, int processId, String processName,
    String user, long unixUid, int handle, String detail, UnixPid unixPid) {

  /** What holds a driver. */
  public enum Kind {
    /** A client process's handle to a file object on one of the driver's devices. */
    OPEN_HANDLE,
    /**
     * Opens of the driver's devices that no process's handle table names: a kernel-mode open
     * (another driver's {@code IoGetDeviceObjectPointer}), or a file object whose last handle was
     * closed while a request on it is still pending.
     */
    OPEN_WITHOUT_HANDLE,
    /** Another device attached on top of one of the driver's devices ({@code IoAttachDevice}). */
    ATTACHED_DEVICE,
    /** A client's request not yet completed, at one of the driver's devices. */
    PENDING_IRP,
    /** One of the driver's devices is registered as a file system ({@code IoRegisterFileSystem}). */
    FILE_SYSTEM,
    /** A work item the driver queued that has not finished running. */
    WORK_ITEM,
    /** A timer the driver set that has not expired (or is periodic). */
    TIMER,
    /** A System thread the driver started that has not returned. */
    SYSTEM_THREAD
  }

  /** Checks that no field is null. */
  public Holder {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(processName, "processName");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(unixPid, "unixPid");
  }

  /** A holder whose Unix pid is not known ({@link UnixPid#UNKNOWN}). */
  public Holder(Kind kind, String device, boolean blocksUnload, int processId, String processName,
      String user, long unixUid, int handle, String detail) {
    this(kind, device, blocksUnload, processId, processName, user, unixUid, handle, detail, UnixPid.UNKNOWN);
  }
}
