package ntio.kernel.objects;

import ntio.api.Privilege;
import ntio.ddk.AccessMask;
import ntio.ddk.NtStatus;
import ntio.ddk.ProcessorMode;
import ntio.kernel.security.AccessCheck;
import ntio.kernel.security.AccessCheckResult;
import ntio.kernel.security.PrivilegeCheck;
import ntio.kernel.security.SecurityDescriptor;

/**
 * The object manager's calls into the security reference monitor, in one place: the access check
 * of an open, the traverse check of a lookup, and privilege checks. Models the parts of
 * {@code ObCheckObjectAccess} and {@code ObpCheckTraverseAccess} that ntio needs (partial: no
 * audit).
 */
final class ObjectSecurity {

  static final Privilege CREATE_PERMANENT = Privilege.SE_CREATE_PERMANENT_PRIVILEGE;

  /** The outcome of an access check: the status and the access granted. */
  record Decision(NtStatus status, int grantedAccess) {}

  /**
   * Checks {@code desiredAccess} against the object's descriptor. A kernel-mode caller is granted
   * what it asked for unless the check is forced; an object without a descriptor grants anything.
   */
  Decision check(KernelObject object, int desiredAccess, Caller caller, boolean force) {
    ObjectType type = object.type();
    int mask = type.validAccessMask() | AccessMask.ACCESS_SYSTEM_SECURITY | AccessMask.MAXIMUM_ALLOWED;
    int wanted = type.genericMapping().map(desiredAccess) & mask;
    SecurityDescriptor descriptor = object.securityDescriptor();
    boolean kernel = caller.previousMode() == ProcessorMode.KERNEL && !force;
    if (descriptor == null || kernel || caller.token() == null) {
      if ((wanted & AccessMask.MAXIMUM_ALLOWED) != 0) {
        wanted = (wanted & ~AccessMask.MAXIMUM_ALLOWED) | type.genericMapping().genericAll();
      }
      return new Decision(NtStatus.STATUS_SUCCESS, wanted & ~AccessMask.MAXIMUM_ALLOWED);
    }
    AccessCheckResult result =
        AccessCheck.accessCheck(descriptor, caller.token(), wanted, type.genericMapping(),
            ProcessorMode.USER, true);
    return new Decision(result.status(), result.grantedAccess() & mask);
  }

  /**
   * Whether a lookup may pass through {@code directory}: always with
   * {@code SeChangeNotifyPrivilege} ("bypass traverse checking") or from kernel mode, else only
   * with {@code DIRECTORY_TRAVERSE}.
   */
  boolean mayTraverse(Directory directory, Caller caller) {
    if (!caller.isUserMode() || caller.token() == null
        || PrivilegeCheck.singlePrivilegeCheck(Privilege.SE_CHANGE_NOTIFY_PRIVILEGE, caller.token(), ProcessorMode.USER)) {
      return true;
    }
    return check(directory, AccessMask.DIRECTORY_TRAVERSE, caller, false).status().isSuccess();
  }

  /** {@code SeSinglePrivilegeCheck} for the caller. */
  boolean hasPrivilege(Caller caller, Privilege privilege) {
    return caller.token() != null
        && PrivilegeCheck.singlePrivilegeCheck(privilege, caller.token(), caller.previousMode());
  }
}
