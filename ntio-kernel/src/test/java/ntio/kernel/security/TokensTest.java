package ntio.kernel.security;

import static ntio.api.Privilege.*;
import static ntio.kernel.security.SidAndAttributes.DEFAULT_GROUP;
import static ntio.kernel.security.SidAndAttributes.SE_GROUP_ENABLED;
import static ntio.kernel.security.SidAndAttributes.SE_GROUP_ENABLED_BY_DEFAULT;
import static ntio.kernel.security.SidAndAttributes.SE_GROUP_OWNER;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import ntio.api.Luid;
import ntio.api.LuidAndAttributes;
import ntio.api.Privilege;
import org.junit.jupiter.api.Test;

class TokensTest {

  private final Tokens tokens = new Tokens(new LuidAllocator());
  private final Sid alice = Sid.unixUser(1000);

  @Test
  void systemTokenIsLocalSystemWithEveryPrivilegeEnabled() {
    Token system = tokens.system();

    assertThat(system.user()).isEqualTo(Sid.LOCAL_SYSTEM);
    assertThat(system.groups())
        .containsExactly(
            new SidAndAttributes(
                Sid.BUILTIN_ADMINISTRATORS,
                SE_GROUP_ENABLED | SE_GROUP_ENABLED_BY_DEFAULT | SE_GROUP_OWNER),
            new SidAndAttributes(Sid.EVERYONE, DEFAULT_GROUP),
            new SidAndAttributes(Sid.AUTHENTICATED_USERS, DEFAULT_GROUP));
    assertThat(system.defaultOwner()).isEqualTo(Sid.BUILTIN_ADMINISTRATORS);
    assertThat(system.isElevated()).isTrue();
    assertThat(system.privileges())
        .hasSize(35)
        .allMatch(p -> p.isEnabled() && p.isEnabledByDefault());
    assertThat(system.isPrivilegeEnabled(SE_LOAD_DRIVER_PRIVILEGE)).isTrue();
  }

  @Test
  void administratorTokenHoldsTheElevatedAdminPrivilegesMostlyDisabled() {
    Token admin = tokens.administrator(alice);

    assertThat(admin.user()).isEqualTo(alice);
    assertThat(admin.isElevated()).isTrue();
    assertThat(admin.defaultOwner()).isEqualTo(Sid.BUILTIN_ADMINISTRATORS);
    assertThat(admin.groups())
        .containsExactly(
            new SidAndAttributes(Sid.EVERYONE, DEFAULT_GROUP),
            new SidAndAttributes(Sid.BUILTIN_ADMINISTRATORS, DEFAULT_GROUP | SE_GROUP_OWNER),
            new SidAndAttributes(Sid.BUILTIN_USERS, DEFAULT_GROUP),
            new SidAndAttributes(Sid.INTERACTIVE, DEFAULT_GROUP),
            new SidAndAttributes(Sid.AUTHENTICATED_USERS, DEFAULT_GROUP));
    assertThat(held(admin))
        .isEqualTo(
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
                SE_DELEGATE_SESSION_USER_IMPERSONATE_PRIVILEGE));
    assertThat(enabled(admin))
        .isEqualTo(
            EnumSet.of(
                SE_CHANGE_NOTIFY_PRIVILEGE, SE_IMPERSONATE_PRIVILEGE, SE_CREATE_GLOBAL_PRIVILEGE));
    for (Privilege disabled :
        List.of(
            SE_LOAD_DRIVER_PRIVILEGE,
            SE_DEBUG_PRIVILEGE,
            SE_BACKUP_PRIVILEGE,
            SE_RESTORE_PRIVILEGE,
            SE_SHUTDOWN_PRIVILEGE,
            SE_TAKE_OWNERSHIP_PRIVILEGE,
            SE_SECURITY_PRIVILEGE,
            SE_SYSTEMTIME_PRIVILEGE)) {
      assertThat(admin.hasPrivilege(disabled)).as(disabled.privilegeName()).isTrue();
      assertThat(admin.isPrivilegeEnabled(disabled)).as(disabled.privilegeName()).isFalse();
    }
    assertThat(admin.hasPrivilege(SE_TCB_PRIVILEGE)).isFalse();
    assertThat(admin.hasPrivilege(SE_CREATE_TOKEN_PRIVILEGE)).isFalse();
  }

  @Test
  void standardUserTokenPrintsWhatWhoamiPrivPrintsForAStandardUser() {
    Token user = tokens.standardUser(alice);

    List<String> lines =
        user.privileges().stream()
            .map(p -> p.privilege().privilegeName() + " | " + p.privilege().displayName() + " | "
                + p.state())
            .collect(Collectors.toList());

    assertThat(lines)
        .containsExactly(
            "SeShutdownPrivilege | Shut down the system | Disabled",
            "SeChangeNotifyPrivilege | Bypass traverse checking | Enabled",
            "SeUndockPrivilege | Remove computer from docking station | Disabled",
            "SeIncreaseWorkingSetPrivilege | Increase a process working set | Disabled",
            "SeTimeZonePrivilege | Change the time zone | Disabled");
  }

  @Test
  void standardUserTokenIsAMemberOfUsersButNotAdministrators() {
    Token user = tokens.standardUser(alice);

    assertThat(user.user()).isEqualTo(alice);
    assertThat(user.defaultOwner()).isEqualTo(alice);
    assertThat(user.isElevated()).isFalse();
    assertThat(user.groups())
        .containsExactly(
            new SidAndAttributes(Sid.EVERYONE, DEFAULT_GROUP),
            new SidAndAttributes(Sid.BUILTIN_USERS, DEFAULT_GROUP),
            new SidAndAttributes(Sid.INTERACTIVE, DEFAULT_GROUP),
            new SidAndAttributes(Sid.AUTHENTICATED_USERS, DEFAULT_GROUP));
    assertThat(user.containsSid(Sid.BUILTIN_ADMINISTRATORS, true)).isFalse();
    assertThat(enabled(user)).isEqualTo(EnumSet.of(SE_CHANGE_NOTIFY_PRIVILEGE));
  }

  @Test
  void tokenIdsComeFromTheFactorysAllocatorAndNeverRepeat() {
    LuidAllocator luids = new LuidAllocator();
    Tokens kernelOne = new Tokens(luids);
    Tokens kernelTwo = new Tokens(new LuidAllocator());

    Token first = kernelOne.system();
    Token second = kernelOne.standardUser(alice);
    Luid third = luids.allocate();
    Token otherKernel = kernelTwo.system();

    assertThat(first.tokenId()).isEqualTo(new Luid(0x3E8));
    assertThat(second.tokenId()).isEqualTo(new Luid(0x3E9));
    assertThat(third).isEqualTo(new Luid(0x3EA));
    assertThat(otherKernel.tokenId()).isEqualTo(new Luid(0x3E8));
  }

  @Test
  void eachCallMakesAnIndependentToken() {
    Token one = tokens.administrator(alice);
    Token two = tokens.administrator(alice);

    one.adjustPrivileges(List.of(LuidAndAttributes.enable(SE_LOAD_DRIVER_PRIVILEGE)));

    assertThat(two.isPrivilegeEnabled(SE_LOAD_DRIVER_PRIVILEGE)).isFalse();
  }

  private static Set<Privilege> held(Token token) {
    return token.privileges().stream()
        .map(PrivilegeAndAttributes::privilege)
        .collect(Collectors.toCollection(() -> EnumSet.noneOf(Privilege.class)));
  }

  private static Set<Privilege> enabled(Token token) {
    return token.privileges().stream()
        .filter(PrivilegeAndAttributes::isEnabled)
        .map(PrivilegeAndAttributes::privilege)
        .collect(Collectors.toCollection(() -> EnumSet.noneOf(Privilege.class)));
  }
}
