package ntio.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrivilegeTest {

  private static final Map<String, Integer> NT_TABLE = new LinkedHashMap<>();

  static {
    String[] names = {
      "SeCreateTokenPrivilege", "SeAssignPrimaryTokenPrivilege", "SeLockMemoryPrivilege",
      "SeIncreaseQuotaPrivilege", "SeMachineAccountPrivilege", "SeTcbPrivilege",
      "SeSecurityPrivilege", "SeTakeOwnershipPrivilege", "SeLoadDriverPrivilege",
      "SeSystemProfilePrivilege", "SeSystemtimePrivilege", "SeProfileSingleProcessPrivilege",
      "SeIncreaseBasePriorityPrivilege", "SeCreatePagefilePrivilege",
      "SeCreatePermanentPrivilege", "SeBackupPrivilege", "SeRestorePrivilege",
      "SeShutdownPrivilege", "SeDebugPrivilege", "SeAuditPrivilege",
      "SeSystemEnvironmentPrivilege", "SeChangeNotifyPrivilege", "SeRemoteShutdownPrivilege",
      "SeUndockPrivilege", "SeSyncAgentPrivilege", "SeEnableDelegationPrivilege",
      "SeManageVolumePrivilege", "SeImpersonatePrivilege", "SeCreateGlobalPrivilege",
      "SeTrustedCredManAccessPrivilege", "SeRelabelPrivilege", "SeIncreaseWorkingSetPrivilege",
      "SeTimeZonePrivilege", "SeCreateSymbolicLinkPrivilege",
      "SeDelegateSessionUserImpersonatePrivilege"
    };
    for (int i = 0; i < names.length; i++) {
      NT_TABLE.put(names[i], i + 2);
    }
  }

  @Test
  void tableHasEveryNtPrivilegeWithItsLuid() {
    assertThat(Privilege.values()).hasSize(35);
    Map<String, Integer> actual = new LinkedHashMap<>();
    for (Privilege privilege : Privilege.values()) {
      actual.put(privilege.privilegeName(), privilege.value());
      assertThat(privilege.luid()).isEqualTo(Luid.of(0, privilege.value()));
      assertThat(privilege).hasToString(privilege.privilegeName());
    }
    assertThat(actual).containsExactlyEntriesOf(NT_TABLE);
  }

  @Test
  void lookupValueIgnoresCase() {
    assertThat(Privilege.lookupValue("SeLoadDriverPrivilege"))
        .contains(Privilege.SE_LOAD_DRIVER_PRIVILEGE);
    assertThat(Privilege.lookupValue("seloaddriverprivilege"))
        .contains(Privilege.SE_LOAD_DRIVER_PRIVILEGE);
    assertThat(Privilege.lookupValue("SETCBPRIVILEGE")).contains(Privilege.SE_TCB_PRIVILEGE);
    assertThat(Privilege.lookupValue("SeBogusPrivilege")).isEmpty();
    assertThat(Privilege.lookupValue("")).isEmpty();
  }

  @Test
  void lookupNameFindsOnlyDefinedLuids() {
    assertThat(Privilege.lookupName(Luid.of(0, 10))).contains(Privilege.SE_LOAD_DRIVER_PRIVILEGE);
    assertThat(Privilege.lookupName(Luid.of(0, 2))).contains(Privilege.SE_CREATE_TOKEN_PRIVILEGE);
    assertThat(Privilege.lookupName(Luid.of(0, 36)))
        .contains(Privilege.SE_DELEGATE_SESSION_USER_IMPERSONATE_PRIVILEGE);
    assertThat(Privilege.lookupName(Luid.of(0, 1))).isEmpty();
    assertThat(Privilege.lookupName(Luid.of(0, 37))).isEmpty();
    assertThat(Privilege.lookupName(Luid.of(1, 10))).isEmpty();
    assertThat(Privilege.lookupName(Luid.of(0, -1))).isEmpty();
  }

  @Test
  void displayNamesAreWhatWhoamiPrints() {
    assertThat(Privilege.SE_LOAD_DRIVER_PRIVILEGE.displayName())
        .isEqualTo("Load and unload device drivers");
    assertThat(Privilege.SE_CHANGE_NOTIFY_PRIVILEGE.displayName())
        .isEqualTo("Bypass traverse checking");
    assertThat(Privilege.SE_SHUTDOWN_PRIVILEGE.displayName()).isEqualTo("Shut down the system");
    assertThat(Privilege.SE_DEBUG_PRIVILEGE.displayName()).isEqualTo("Debug programs");
    assertThat(Privilege.SE_TIME_ZONE_PRIVILEGE.displayName()).isEqualTo("Change the time zone");
    for (Privilege privilege : Privilege.values()) {
      assertThat(privilege.displayName()).isNotBlank();
    }
  }
}
