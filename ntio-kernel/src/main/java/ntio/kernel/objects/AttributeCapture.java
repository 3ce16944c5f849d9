package ntio.kernel.objects;

import static ntio.ddk.NtStatus.STATUS_INVALID_PARAMETER;
import static ntio.ddk.NtStatus.STATUS_PRIVILEGE_NOT_HELD;
import static ntio.ddk.NtStatus.STATUS_SUCCESS;

import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;

/**
 * What the object manager makes of a caller's {@code OBJ_*} attributes before it acts on them.
 * Models the attribute checks of {@code ObpCaptureObjectCreateInformation} (partial: the
 * attributes arrive already captured in an {@link ObjectAttributes}).
 */
final class AttributeCapture {

  private AttributeCapture() {}

  /** The attributes as the caller may have them. */
  static int effective(int attributes, Caller caller) {
    // A user-mode caller cannot ask for a kernel handle: NT drops the flag during capture.
    return caller.isUserMode() ? attributes & ~ObjectAttributes.OBJ_KERNEL_HANDLE : attributes;
  }

  /**
   * Refuses attributes that are not {@code OBJ_*} flags, that the type does not allow, or
   * {@code OBJ_PERMANENT} from a user-mode caller without {@code SeCreatePermanentPrivilege}.
   *
   * @param type the object's type, or null when it is not known yet
   */
  static NtStatus check(int attrs, ObjectType type, Caller caller, ObjectSecurity security) {
    if ((attrs & ~ObjectAttributes.OBJ_VALID_ATTRIBUTES) != 0) {
      return STATUS_INVALID_PARAMETER;
    }
    if (type != null && (attrs & type.invalidAttributes()) != 0) {
      return STATUS_INVALID_PARAMETER;
    }
    if ((attrs & ObjectAttributes.OBJ_PERMANENT) != 0 && caller.isUserMode()
        && !security.hasPrivilege(caller, ObjectSecurity.CREATE_PERMANENT)) {
      return STATUS_PRIVILEGE_NOT_HELD;
    }
    return STATUS_SUCCESS;
  }

  /** Whether {@code OBJ_FORCE_ACCESS_CHECK} asks for an access check even from kernel mode. */
  static boolean forceAccessCheck(int attrs) {
    return (attrs & ObjectAttributes.OBJ_FORCE_ACCESS_CHECK) != 0;
  }
}
