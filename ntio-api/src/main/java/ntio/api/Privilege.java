package ntio.api;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The NT privileges. Models the {@code SE_*_PRIVILEGE} values of {@code ntseapi.h}, the {@code
 * Se…Privilege} names, {@code LookupPrivilegeValue}, {@code LookupPrivilegeName} and {@code
 * LookupPrivilegeDisplayName} (full for the 35 privileges NT defines, LUIDs 2 to 36).
 *
 * <p>A privilege's LUID has a zero high part and the table's value as its low part. Constants are
 * declared in LUID order, which is also the order {@code whoami /priv} lists a token's privileges.
 */
public enum Privilege {
  SE_CREATE_TOKEN_PRIVILEGE(2, "SeCreateTokenPrivilege", "Create a token object"),
  SE_ASSIGNPRIMARYTOKEN_PRIVILEGE(
      3, "SeAssignPrimaryTokenPrivilege", "Replace a process level token"),
  SE_LOCK_MEMORY_PRIVILEGE(4, "SeLockMemoryPrivilege", "Lock pages in memory"),
  SE_INCREASE_QUOTA_PRIVILEGE(
      5, "SeIncreaseQuotaPrivilege", "Adjust memory quotas for a process"),
  SE_MACHINE_ACCOUNT_PRIVILEGE(6, "SeMachineAccountPrivilege", "Add workstations to domain"),
  SE_TCB_PRIVILEGE(7, "SeTcbPrivilege", "Act as part of the operating system"),
  SE_SECURITY_PRIVILEGE(8, "SeSecurityPrivilege", "Manage auditing and security log"),
  SE_TAKE_OWNERSHIP_PRIVILEGE(
      9, "SeTakeOwnershipPrivilege", "Take ownership of files or other objects"),
  SE_LOAD_DRIVER_PRIVILEGE(10, "SeLoadDriverPrivilege", "Load and unload device drivers"),
  SE_SYSTEM_PROFILE_PRIVILEGE(11, "SeSystemProfilePrivilege", "Profile system performance"),
  SE_SYSTEMTIME_PRIVILEGE(12, "SeSystemtimePrivilege", "Change the system time"),
  SE_PROF_SINGLE_PROCESS_PRIVILEGE(
      13, "SeProfileSingleProcessPrivilege", "Profile single process"),
  SE_INC_BASE_PRIORITY_PRIVILEGE(
      14, "SeIncreaseBasePriorityPrivilege", "Increase scheduling priority"),
  SE_CREATE_PAGEFILE_PRIVILEGE(15, "SeCreatePagefilePrivilege", "Create a pagefile"),
  SE_CREATE_PERMANENT_PRIVILEGE(
      16, "SeCreatePermanentPrivilege", "Create permanent shared objects"),
  SE_BACKUP_PRIVILEGE(17, "SeBackupPrivilege", "Back up files and directories"),
  SE_RESTORE_PRIVILEGE(18, "SeRestorePrivilege", "Restore files and directories"),
  SE_SHUTDOWN_PRIVILEGE(19, "SeShutdownPrivilege", "Shut down the system"),
  SE_DEBUG_PRIVILEGE(20, "SeDebugPrivilege", "Debug programs"),
  SE_AUDIT_PRIVILEGE(21, "SeAuditPrivilege", "Generate security audits"),
  SE_SYSTEM_ENVIRONMENT_PRIVILEGE(
      22, "SeSystemEnvironmentPrivilege", "Modify firmware environment values"),
  SE_CHANGE_NOTIFY_PRIVILEGE(23, "SeChangeNotifyPrivilege", "Bypass traverse checking"),
  SE_REMOTE_SHUTDOWN_PRIVILEGE(
      24, "SeRemoteShutdownPrivilege", "Force shutdown from a remote system"),
  SE_UNDOCK_PRIVILEGE(25, "SeUndockPrivilege", "Remove computer from docking station"),
  SE_SYNC_AGENT_PRIVILEGE(26, "SeSyncAgentPrivilege", "Synchronize directory service data"),
  SE_ENABLE_DELEGATION_PRIVILEGE(
      27,
      "SeEnableDelegationPrivilege",
      "Enable computer and user accounts to be trusted for delegation"),
  SE_MANAGE_VOLUME_PRIVILEGE(28, "SeManageVolumePrivilege", "Perform volume maintenance tasks"),
  SE_IMPERSONATE_PRIVILEGE(
      29, "SeImpersonatePrivilege", "Impersonate a client after authentication"),
  SE_CREATE_GLOBAL_PRIVILEGE(30, "SeCreateGlobalPrivilege", "Create global objects"),
  SE_TRUSTED_CREDMAN_ACCESS_PRIVILEGE(
      31, "SeTrustedCredManAccessPrivilege", "Access Credential Manager as a trusted caller"),
  SE_RELABEL_PRIVILEGE(32, "SeRelabelPrivilege", "Modify an object label"),
  SE_INC_WORKING_SET_PRIVILEGE(
      33, "SeIncreaseWorkingSetPrivilege", "Increase a process working set"),
  SE_TIME_ZONE_PRIVILEGE(34, "SeTimeZonePrivilege", "Change the time zone"),
  SE_CREATE_SYMBOLIC_LINK_PRIVILEGE(35, "SeCreateSymbolicLinkPrivilege", "Create symbolic links"),
  SE_DELEGATE_SESSION_USER_IMPERSONATE_PRIVILEGE(
      36,
      "SeDelegateSessionUserImpersonatePrivilege",
      "Obtain an impersonation token for another user in the same session");

  /** {@code SE_MIN_WELL_KNOWN_PRIVILEGE}. */
  public static final int MIN_WELL_KNOWN_PRIVILEGE = 2;

  /** {@code SE_MAX_WELL_KNOWN_PRIVILEGE}. */
  public static final int MAX_WELL_KNOWN_PRIVILEGE = 36;

  private static final Map<String, Privilege> BY_NAME =
      Arrays.stream(values())
          .collect(Collectors.toUnmodifiableMap(p -> lower(p.privilegeName), Function.identity()));

  private final int value;
  private final String privilegeName;
  private final String displayName;

  Privilege(int value, String privilegeName, String displayName) {
    this.value = value;
    this.privilegeName = privilegeName;
    this.displayName = displayName;
  }

  /** The low part of the privilege's LUID, for example {@code 10} for SeLoadDriverPrivilege. */
  public int value() {
    return value;
  }

  /** The privilege's LUID. Models {@code RtlConvertLongToLuid(value())} (full). */
  public Luid luid() {
    return Luid.of(0, value);
  }

  /** The programmatic name, for example {@code SeLoadDriverPrivilege}. */
  public String privilegeName() {
    return privilegeName;
  }

  /**
   * The description {@code whoami /priv} prints, for example {@code Load and unload device
   * drivers}. Models {@code LookupPrivilegeDisplayName} (full, English).
   */
  public String displayName() {
    return displayName;
  }

  /**
   * The privilege with this name, compared case-insensitively. Models {@code
   * LookupPrivilegeValue} (full; empty where Windows fails with {@code ERROR_NO_SUCH_PRIVILEGE}).
   */
  public static Optional<Privilege> lookupValue(String name) {
    return Optional.ofNullable(BY_NAME.get(lower(name)));
  }

  /**
   * The privilege with this LUID. Models {@code LookupPrivilegeName} (full; empty where Windows
   * fails with {@code ERROR_NO_SUCH_PRIVILEGE}).
   */
  public static Optional<Privilege> lookupName(Luid luid) {
    if (luid.highPart() != 0) {
      return Optional.empty();
    }
    int low = luid.lowPart();
    if (low < MIN_WELL_KNOWN_PRIVILEGE || low > MAX_WELL_KNOWN_PRIVILEGE) {
      return Optional.empty();
    }
    // Constants are declared densely in LUID order from 2.
    return Optional.of(values()[low - MIN_WELL_KNOWN_PRIVILEGE]);
  }

  private static String lower(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  /** The programmatic name, {@code SeLoadDriverPrivilege}. */
  @Override
  public String toString() {
    return privilegeName;
  }
}
