package ntio.api;

import ntio.ddk.NtStatus;

/**
 * What {@code NtQueryObject} answers for a handle: the handle's status, the object's header, and
 * ObjectNameInformation's own status, which can fail while the rest succeeds (a file whose driver
 * refuses FileNameInformation).
 *
 * @param status {@code STATUS_INVALID_HANDLE} when the handle is not the caller's; success
 *     otherwise (ObjectBasicInformation and ObjectTypeInformation always succeed then)
 * @param info the type, counts, access and — when {@code nameStatus} is a success — the name as
 *     ObjectNameInformation gives it ("" for an unnamed object; for a file, its device's name and
 *     the file name); null when {@code status} failed. Its name is null when {@code nameStatus}
 *     failed
 * @param nameStatus what NtQueryObject(ObjectNameInformation) returns: {@code status} when that
 *     failed, else the name query's status
 */
public record ObjectQuery(NtStatus status, ObjectInfo info, NtStatus nameStatus) {

  /** A query refused for its handle: every class of information fails the same way. */
  public static ObjectQuery failed(NtStatus status) {
    return new ObjectQuery(status, null, status);
  }

  /** Whether the handle was valid (basic and type information are in {@link #info}). */
  public boolean isSuccess() {
    return status.isSuccess() && info != null;
  }
}
