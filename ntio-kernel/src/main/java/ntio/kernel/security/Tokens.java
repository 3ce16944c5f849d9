package ntio.kernel.security;

import static ntio.api.Privilege.*;
import static ntio.kernel.security.SidAndAttributes.DEFAULT_GROUP;
import static ntio.kernel.security.SidAndAttributes.SE_GROUP_ENABLED;
import static ntio.kernel.security.SidAndAttributes.SE_GROUP_ENABLED_BY_DEFAULT;
import static ntio.kernel.security.SidAndAttributes.SE_GROUP_OWNER;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import ntio.api.Privilege;

/**
 * Makes the tokens of one kernel, each with a fresh token id from the kernel's {@link
 * LuidAllocator}. Thread-safe.
 *
 * <p>Besides the general {@link #create}, it makes the three tokens a kernel needs: the System
 * token, an elevated administrator's, and a standard user's (the host gives one of the last two to
 * each socket client, under {@link Sid#unixUser}).
 */
public final class Tokens {

  /** Where an elevated administrator's token on current Windows has a privilege enabled. */
  private static final Set<Privilege> ADMINISTRATOR_ENABLED =
      EnumSet.of(SE_CHANGE_NOTIFY_PRIVILEGE, SE_IMPERSONATE_PRIVILEGE, SE_CREATE_GLOBAL_PRIVILEGE);

  /** The 24 privileges {@code whoami /priv} lists in an elevated administrator's console. */
  private static final Set<Privilege> ADMINISTRATOR_PRIVILEGES =
      EnumSet.of(
          SE_INCREASE_QUOTA_PRIVILEGE,
          SE_SECURITY_PRIVILEGE,
          SE_TAKE_OWNERSHIP_PRIVILEGE,
          SE_LOAD_DRIVER_PRIVILEGE,
          SE_SYSTEM_PROFILE_PRIVILEGE,
          SE_SYSTEMTIME_PRIVILEGE,
          SE_PROF_SINGLE_PROCESS_PRIVILEGE,
          SE_INC_BASE_PRIORITY_PRIVILEGE,
          SE_CREATE_PAGEFILE_PRIVILEGE,
          SE_BACKUP_PRIVILEGE,
          SE_RESTORE_PRIVILEGE,
          SE_SHUTDOWN_PRIVILEGE,
          SE_DEBUG_PRIVILEGE,
          SE_SYSTEM_ENVIRONMENT_PRIVILEGE,
          SE_CHANGE_NOTIFY_PRIVILEGE,
          SE_REMOTE_SHUTDOWN_PRIVILEGE,
          SE_UNDOCK_PRIVILEGE,
          SE_MANAGE_VOLUME_PRIVILEGE,
          SE_IMPERSONATE_PRIVILEGE,
          SE_CREATE_GLOBAL_PRIVILEGE,
          SE_INC_WORKING_SET_PRIVILEGE,
          SE_TIME_ZONE_PRIVILEGE,
          SE_CREATE_SYMBOLIC_LINK_PRIVILEGE,
          SE_DELEGATE_SESSION_USER_IMPERSONATE_PRIVILEGE);

  /** The five privileges {@code whoami /priv} lists for a standard user. */
  private static final Set<Privilege> STANDARD_USER_PRIVILEGES =
      EnumSet.of(
          SE_SHUTDOWN_PRIVILEGE,
          SE_CHANGE_NOTIFY_PRIVILEGE,
          SE_UNDOCK_PRIVILEGE,
          SE_INC_WORKING_SET_PRIVILEGE,
          SE_TIME_ZONE_PRIVILEGE);

  private final LuidAllocator luids;

  /** A factory drawing token ids from {@code luids}, the kernel's one allocator. */
  public Tokens(LuidAllocator luids) {
    this.luids = Objects.requireNonNull(luids, "luids");
  }

  /**
   * A token with exactly these contents and a new token id. Models {@code NtCreateToken} for a
   * primary token (partial: no logon session, expiration, primary group, default DACL or source).
   *
   * @throws IllegalArgumentException if {@code defaultOwner} is neither the user nor a group with
   *     {@code SE_GROUP_OWNER} (where NT returns {@code STATUS_INVALID_OWNER}), or a privilege is
   *     listed twice
   */
  public Token create(
      Sid user,
      List<SidAndAttributes> groups,
      List<PrivilegeAndAttributes> privileges,
      Sid defaultOwner,
      boolean elevated) {
    return new Token(luids.allocate(), user, groups, privileges, defaultOwner, elevated);
  }

  /**
   * The token of the System process and its worker threads: user {@code NT AUTHORITY\SYSTEM},
   * groups Administrators (owner), Everyone and Authenticated Users, every privilege present and
   * enabled. Models {@code SepCreateSystemProcessToken} (partial).
   *
   * @implNote NT 5's boot token, which ReactOS reproduces, left eleven privileges disabled
   *     (SeLoadDriverPrivilege among them); the System process token of current Windows holds
   *     every privilege enabled by default and enabled, and that is the token kernel threads and
   *     the {@code ntio} System process carry here. The Administrators group is the default
   *     owner and is not mandatory, as in NT.
   */
  public Token system() {
    List<PrivilegeAndAttributes> privileges = new ArrayList<>();
    for (Privilege privilege : Privilege.values()) {
      privileges.add(PrivilegeAndAttributes.enabled(privilege));
    }
    List<SidAndAttributes> groups =
        List.of(
            new SidAndAttributes(
                Sid.BUILTIN_ADMINISTRATORS,
                SE_GROUP_ENABLED | SE_GROUP_ENABLED_BY_DEFAULT | SE_GROUP_OWNER),
            new SidAndAttributes(Sid.EVERYONE, DEFAULT_GROUP),
            new SidAndAttributes(Sid.AUTHENTICATED_USERS, DEFAULT_GROUP));
    return create(Sid.LOCAL_SYSTEM, groups, privileges, Sid.BUILTIN_ADMINISTRATORS, true);
  }

  /**
   * The elevated token of an administrator {@code user}: groups Everyone, Administrators (owner,
   * the default owner), Users, INTERACTIVE and Authenticated Users; the 24 privileges of an
   * elevated Windows administrator, SeChangeNotifyPrivilege, SeImpersonatePrivilege and
   * SeCreateGlobalPrivilege enabled, the rest (SeLoadDriverPrivilege, SeDebugPrivilege,
   * SeBackupPrivilege …) present but disabled. Models the full token LSA builds for an
   * administrator's elevated logon (partial: no logon SID, integrity level or linked token).
   */
  public Token administrator(Sid user) {
    List<SidAndAttributes> groups =
        List.of(
            new SidAndAttributes(Sid.EVERYONE, DEFAULT_GROUP),
            new SidAndAttributes(Sid.BUILTIN_ADMINISTRATORS, DEFAULT_GROUP | SE_GROUP_OWNER),
            new SidAndAttributes(Sid.BUILTIN_USERS, DEFAULT_GROUP),
            new SidAndAttributes(Sid.INTERACTIVE, DEFAULT_GROUP),
            new SidAndAttributes(Sid.AUTHENTICATED_USERS, DEFAULT_GROUP));
    return create(
        user,
        groups,
        privileges(ADMINISTRATOR_PRIVILEGES, ADMINISTRATOR_ENABLED),
        Sid.BUILTIN_ADMINISTRATORS,
        true);
  }

  /**
   * The token of a standard (non-administrator) {@code user}: groups Everyone, Users, INTERACTIVE
   * and Authenticated Users; SeChangeNotifyPrivilege enabled, SeShutdownPrivilege,
   * SeUndockPrivilege, SeIncreaseWorkingSetPrivilege and SeTimeZonePrivilege present but disabled;
   * the user is the default owner; not elevated. Models the token LSA builds for a standard user's
   * interactive logon (partial: no logon SID or integrity level).
   */
  public Token standardUser(Sid user) {
    List<SidAndAttributes> groups =
        List.of(
            new SidAndAttributes(Sid.EVERYONE, DEFAULT_GROUP),
            new SidAndAttributes(Sid.BUILTIN_USERS, DEFAULT_GROUP),
            new SidAndAttributes(Sid.INTERACTIVE, DEFAULT_GROUP),
            new SidAndAttributes(Sid.AUTHENTICATED_USERS, DEFAULT_GROUP));
    return create(
        user,
        groups,
        privileges(STANDARD_USER_PRIVILEGES, EnumSet.of(SE_CHANGE_NOTIFY_PRIVILEGE)),
        user,
        false);
  }

  private static List<PrivilegeAndAttributes> privileges(
      Set<Privilege> present, Set<Privilege> enabled) {
    List<PrivilegeAndAttributes> list = new ArrayList<>();
    for (Privilege privilege : present) {
      list.add(
          enabled.contains(privilege)
              ? PrivilegeAndAttributes.enabled(privilege)
              : PrivilegeAndAttributes.disabled(privilege));
    }
    return list;
  }
}
