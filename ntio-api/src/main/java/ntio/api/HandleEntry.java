package ntio.api;

import java.util.Objects;

/**
 * One open handle of one process, as {@code NtQuerySystemInformation(SystemHandleInformation)}
 * and Sysinternals' {@code handle.exe} show it: a row of {@link NtApi#queryHandles}.
 *
 * @param processId the kernel process id (4 for System)
 * @param processName the process's name
 * @param user the process's user as its token names it ({@code Unix User\1000}, {@code NT
 *     AUTHORITY\SYSTEM})
 * @param unixUid the Unix uid of that user, or -1 when it is not a Unix user
 * @param handle the handle value ({@code 0x4}); kernel handles carry the kernel-handle bit
 * @param objectType the object's type name ({@code File}, {@code Key}, {@code Event}, …)
 * @param objectName the object's name: a file object's device and file name ({@code
 *     \Device\Echo}), a named object's full path, or empty for an unnamed object
 * @param grantedAccess the access the handle was granted
 * @param unixPid the process's Unix pid, as the host established it when the client connected
 *     ({@link UnixPid#UNKNOWN} for kernel-mode and embedded processes and clients that stated none)
 */
public record HandleEntry(int processId, String processName, String user, long unixUid, int handle,
    String objectType, String objectName, int grantedAccess, UnixPid unixPid) {

  /** Checks that no field is null. */
  public HandleEntry {
    Objects.requireNonNull(processName, "processName");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(objectType, "objectType");
    Objects.requireNonNull(objectName, "objectName");
    Objects.requireNonNull(unixPid, "unixPid");
  }

  /** An entry whose process's Unix pid is not known ({@link UnixPid#UNKNOWN}). */
  public HandleEntry(int processId, String processName, String user, long unixUid, int handle,
      String objectType, String objectName, int grantedAccess) {
    this(processId, processName, user, unixUid, handle, objectType, objectName, grantedAccess, UnixPid.UNKNOWN);
  }
}
