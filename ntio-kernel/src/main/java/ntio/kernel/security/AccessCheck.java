package ntio.kernel.security;

import ntio.api.Privilege;
import ntio.ddk.AccessMask;
import ntio.ddk.GenericMapping;
import ntio.ddk.NtStatus;
import ntio.ddk.ProcessorMode;

/**
 * The access checks of the security reference monitor: the full check an open makes against an
 * object's security descriptor, and the quick check a handle reference makes against the access
 * the handle was granted. Stateless and thread-safe.
 */
public final class AccessCheck {

  /*
   * Implementation notes. The order of the full check, as in NT:
   *   1. map generic bits in the request (and in each ACE as it is read);
   *   2. kernel mode without a forced check grants what was asked, MAXIMUM_ALLOWED as GenericAll;
   *   3. the owner gets READ_CONTROL and WRITE_DAC without looking at the DACL;
   *   4. ACCESS_SYSTEM_SECURITY needs SeSecurityPrivilege, WRITE_OWNER may come from
   *      SeTakeOwnershipPrivilege (only when asked for by name, not through MAXIMUM_ALLOWED);
   *   5. nothing left to decide: granted if anything was granted so far, else denied;
   *   6. no DACL or a NULL DACL grants everything;
   *   7. otherwise the DACL, first to last.
   */

  private static final int OWNER_RIGHTS = AccessMask.READ_CONTROL | AccessMask.WRITE_DAC;

  private AccessCheck() {}

  /**
   * Decides whether {@code token} may open an object protected by {@code descriptor} for {@code
   * desiredAccess}. Models {@code SeAccessCheck} with no previously granted access (full for
   * allow/deny DACLs; see {@link #accessCheck(SecurityDescriptor, Token, int, int, GenericMapping,
   * ProcessorMode, boolean)}).
   */
  public static AccessCheckResult accessCheck(
      SecurityDescriptor descriptor,
      Token token,
      int desiredAccess,
      GenericMapping mapping,
      ProcessorMode previousMode,
      boolean forceAccessCheck) {
    return accessCheck(
        descriptor, token, desiredAccess, 0, mapping, previousMode, forceAccessCheck);
  }

  /**
   * Decides whether {@code token} may open an object protected by {@code descriptor} for {@code
   * desiredAccess}. Models {@code SeAccessCheck} (full for allow/deny DACLs; the token stands for
   * the captured subject context).
   *
   * <p>Generic bits are mapped with the object type's {@code mapping} first. A {@link
   * ProcessorMode#KERNEL kernel-mode} caller gets what it asked for ({@code MAXIMUM_ALLOWED}
   * becomes the mapping's {@code GenericAll}) unless {@code forceAccessCheck} ({@code
   * OBJ_FORCE_ACCESS_CHECK}) is set, in which case it is checked as a user-mode caller is. For a
   * user-mode caller: the owner is granted {@code READ_CONTROL} and {@code WRITE_DAC} implicitly;
   * {@code ACCESS_SYSTEM_SECURITY} requires SeSecurityPrivilege enabled; {@code WRITE_OWNER} is
   * granted by SeTakeOwnershipPrivilege enabled; an absent or NULL DACL grants everything, an empty
   * one nothing; otherwise the ACEs are read in order, skipping {@code INHERIT_ONLY_ACE} entries
   * and those whose SID is not the token's user or an enabled group (deny ACEs also match {@code
   * SE_GROUP_USE_FOR_DENY_ONLY} groups). A deny ACE refuses the request if it covers any requested
   * right not yet granted; an allow ACE grants what it covers. With {@code MAXIMUM_ALLOWED} the
   * whole DACL is read and every right it allows (and no ACE before denied) is granted.
   *
   * @param previouslyGrantedAccess rights already granted, for example by a privilege
   * @return granted and {@code STATUS_SUCCESS}; or {@code STATUS_ACCESS_DENIED} when some
   *     requested right is not granted; or {@code STATUS_PRIVILEGE_NOT_HELD} when {@code
   *     ACCESS_SYSTEM_SECURITY} is asked for without SeSecurityPrivilege enabled
   * @implNote A user-mode request for no access at all (nothing desired, nothing previously
   *     granted) is denied, as NT's {@code SeAccessCheck} denies a zero-access request;
   *     it does not return {@code STATUS_SUCCESS} with nothing granted. A kernel-mode request for
   *     no access is granted with nothing granted, as kernel mode skips every check. Whether an
   *     open for zero access reaches this check at all is the object manager's decision. The
   *     privilege failure is {@code STATUS_PRIVILEGE_NOT_HELD} rather than {@code
   *     STATUS_ACCESS_DENIED} because NT's {@code SePrivilegePolicyCheck} returns it. Not modelled:
   *     the {@code OWNER RIGHTS} SID that can override the owner's implicit rights, integrity
   *     levels, restricted tokens, object-type lists and auditing.
   */
  public static AccessCheckResult accessCheck(
      SecurityDescriptor descriptor,
      Token token,
      int desiredAccess,
      int previouslyGrantedAccess,
      GenericMapping mapping,
      ProcessorMode previousMode,
      boolean forceAccessCheck) {
    int desired = mapping.map(desiredAccess);
    int previous = mapping.map(previouslyGrantedAccess);
    boolean maximumAllowed = (desired & AccessMask.MAXIMUM_ALLOWED) != 0;

    if (previousMode == ProcessorMode.KERNEL && !forceAccessCheck) {
      int granted =
          maximumAllowed
              ? (desired & ~AccessMask.MAXIMUM_ALLOWED) | mapping.genericAll()
              : desired;
      return AccessCheckResult.granted(granted | previous);
    }

    if ((desired & (OWNER_RIGHTS | AccessMask.MAXIMUM_ALLOWED)) != 0
        && descriptor.owner().map(owner -> token.containsSid(owner, false)).orElse(false)) {
      previous |= maximumAllowed ? OWNER_RIGHTS : desired & OWNER_RIGHTS;
      desired &= ~OWNER_RIGHTS;
    }

    if ((desired & AccessMask.ACCESS_SYSTEM_SECURITY) != 0) {
      if (!token.isPrivilegeEnabled(Privilege.SE_SECURITY_PRIVILEGE)) {
        return AccessCheckResult.failed(NtStatus.STATUS_PRIVILEGE_NOT_HELD);
      }
      previous |= AccessMask.ACCESS_SYSTEM_SECURITY;
      desired &= ~AccessMask.ACCESS_SYSTEM_SECURITY;
    }
    if ((desired & AccessMask.WRITE_OWNER) != 0
        && token.isPrivilegeEnabled(Privilege.SE_TAKE_OWNERSHIP_PRIVILEGE)) {
      previous |= AccessMask.WRITE_OWNER;
      desired &= ~AccessMask.WRITE_OWNER;
    }

    if (desired == 0) {
      return previous == 0
          ? AccessCheckResult.failed(NtStatus.STATUS_ACCESS_DENIED)
          : AccessCheckResult.granted(previous);
    }

    if (descriptor.dacl().isEmpty()) {
      int granted = previous | (desired & ~AccessMask.MAXIMUM_ALLOWED);
      return AccessCheckResult.granted(maximumAllowed ? granted | mapping.genericAll() : granted);
    }
    Acl dacl = descriptor.dacl().get();
    return maximumAllowed
        ? walkDaclForMaximum(dacl, token, desired, previous, mapping)
        : walkDacl(dacl, token, desired, previous, mapping);
  }

  /** The DACL walk for a request without {@code MAXIMUM_ALLOWED}: stop at the first refusal. */
  private static AccessCheckResult walkDacl(
      Acl dacl, Token token, int desired, int previous, GenericMapping mapping) {
    int remaining = desired;
    for (Ace ace : dacl.aces()) {
      if (ace.isInheritOnly()) {
        continue;
      }
      int rights = mapping.map(ace.mask());
      if (ace.isDeny()) {
        if ((rights & remaining) != 0 && token.containsSid(ace.sid(), true)) {
          return AccessCheckResult.failed(NtStatus.STATUS_ACCESS_DENIED);
        }
      } else if (token.containsSid(ace.sid(), false)) {
        remaining &= ~rights;
        if (remaining == 0) {
          break;
        }
      }
    }
    return remaining == 0
        ? AccessCheckResult.granted(previous | desired)
        : AccessCheckResult.failed(NtStatus.STATUS_ACCESS_DENIED);
  }

  /** The DACL walk for {@code MAXIMUM_ALLOWED}: read every ACE, first decision per bit wins. */
  private static AccessCheckResult walkDaclForMaximum(
      Acl dacl, Token token, int desired, int previous, GenericMapping mapping) {
    int allowed = 0;
    int denied = 0;
    for (Ace ace : dacl.aces()) {
      if (ace.isInheritOnly()) {
        continue;
      }
      // A DACL can never grant these two; only privileges and the request itself carry them.
      int rights =
          mapping.map(ace.mask())
              & ~(AccessMask.ACCESS_SYSTEM_SECURITY | AccessMask.MAXIMUM_ALLOWED);
      if (ace.isDeny()) {
        if (token.containsSid(ace.sid(), true)) {
          denied |= rights & ~allowed;
        }
      } else if (token.containsSid(ace.sid(), false)) {
        allowed |= rights & ~denied;
      }
    }
    int missing = desired & ~AccessMask.MAXIMUM_ALLOWED & ~allowed;
    int granted = previous | allowed;
    return missing != 0 || granted == 0
        ? AccessCheckResult.failed(NtStatus.STATUS_ACCESS_DENIED)
        : AccessCheckResult.granted(granted);
  }

  /**
   * The requested rights a handle's granted access lacks, after mapping generic bits in {@code
   * desiredAccess}; {@code 0} when the handle is good enough. Models {@code
   * SeComputeDeniedAccesses} (full, plus the generic mapping).
   */
  public static int deniedAccesses(int grantedAccess, int desiredAccess, GenericMapping mapping) {
    return mapping.map(desiredAccess) & ~grantedAccess;
  }

  /**
   * Whether a handle granted {@code grantedAccess} may be used for {@code desiredAccess}: {@code
   * STATUS_SUCCESS} when it covers every requested right after mapping, or for a kernel-mode
   * caller; else {@code STATUS_ACCESS_DENIED}. Models the access test in {@code
   * ObReferenceObjectByHandle} (full).
   */
  public static NtStatus checkHandleAccess(
      int grantedAccess, int desiredAccess, GenericMapping mapping, ProcessorMode accessMode) {
    if (accessMode == ProcessorMode.KERNEL
        || deniedAccesses(grantedAccess, desiredAccess, mapping) == 0) {
      return NtStatus.STATUS_SUCCESS;
    }
    return NtStatus.STATUS_ACCESS_DENIED;
  }
}
