package ntio.kernel.security;

import static ntio.api.Privilege.SE_CHANGE_NOTIFY_PRIVILEGE;
import static ntio.api.Privilege.SE_DEBUG_PRIVILEGE;
import static ntio.api.Privilege.SE_IMPERSONATE_PRIVILEGE;
import static ntio.api.Privilege.SE_LOAD_DRIVER_PRIVILEGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import ntio.api.LuidAndAttributes;
import ntio.ddk.NtStatus;
import ntio.ddk.ProcessorMode;
import org.junit.jupiter.api.Test;

class PrivilegeCheckTest {

  private final Tokens tokens = new Tokens(new LuidAllocator());
  private final Sid alice = Sid.unixUser(1000);

  @Test
  void kernelModePassesWithoutThePrivilege() {
    Token user = tokens.standardUser(alice);

    assertThat(
            PrivilegeCheck.singlePrivilegeCheck(
                SE_LOAD_DRIVER_PRIVILEGE, user, ProcessorMode.KERNEL))
        .isTrue();
  }

  @Test
  void userModeFailsWhenThePrivilegeIsAbsent() {
    Token user = tokens.standardUser(alice);

    assertThat(
            PrivilegeCheck.singlePrivilegeCheck(SE_LOAD_DRIVER_PRIVILEGE, user, ProcessorMode.USER))
        .isFalse();
  }

  @Test
  void userModeFailsWhenThePrivilegeIsPresentButDisabled() {
    Token admin = tokens.administrator(alice);

    assertThat(
            PrivilegeCheck.singlePrivilegeCheck(
                SE_LOAD_DRIVER_PRIVILEGE, admin, ProcessorMode.USER))
        .isFalse();
  }

  @Test
  void userModePassesOnceThePrivilegeIsEnabled() {
    Token admin = tokens.administrator(alice);
    admin.adjustPrivileges(List.of(LuidAndAttributes.enable(SE_LOAD_DRIVER_PRIVILEGE)));

    assertThat(
            PrivilegeCheck.singlePrivilegeCheck(
                SE_LOAD_DRIVER_PRIVILEGE, admin, ProcessorMode.USER))
        .isTrue();
  }

  @Test
  void B1_userWithoutEnabledLoadDriverPrivilegeGetsPrivilegeNotHeld() {
    Token admin = tokens.administrator(alice);

    assertThat(PrivilegeCheck.requirePrivilege(SE_LOAD_DRIVER_PRIVILEGE, admin, ProcessorMode.USER))
        .isEqualTo(NtStatus.STATUS_PRIVILEGE_NOT_HELD);
    assertThat(
            PrivilegeCheck.requirePrivilege(SE_LOAD_DRIVER_PRIVILEGE, admin, ProcessorMode.KERNEL))
        .isEqualTo(NtStatus.STATUS_SUCCESS);
    admin.adjustPrivileges(List.of(LuidAndAttributes.enable(SE_LOAD_DRIVER_PRIVILEGE)));
    assertThat(PrivilegeCheck.requirePrivilege(SE_LOAD_DRIVER_PRIVILEGE, admin, ProcessorMode.USER))
        .isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  @Test
  void theSystemTokenPassesInUserModeToo() {
    assertThat(
            PrivilegeCheck.singlePrivilegeCheck(
                SE_LOAD_DRIVER_PRIVILEGE, tokens.system(), ProcessorMode.USER))
        .isTrue();
  }

  @Test
  void privilegeSetWithAllNecessaryNeedsEveryPrivilegeEnabled() {
    Token admin = tokens.administrator(alice);

    assertThat(
            PrivilegeCheck.privilegeCheck(
                List.of(SE_CHANGE_NOTIFY_PRIVILEGE, SE_IMPERSONATE_PRIVILEGE),
                true,
                admin,
                ProcessorMode.USER))
        .isTrue();
    assertThat(
            PrivilegeCheck.privilegeCheck(
                List.of(SE_CHANGE_NOTIFY_PRIVILEGE, SE_LOAD_DRIVER_PRIVILEGE),
                true,
                admin,
                ProcessorMode.USER))
        .isFalse();
  }

  @Test
  void privilegeSetWithAnyNeedsOneEnabledPrivilege() {
    Token admin = tokens.administrator(alice);

    assertThat(
            PrivilegeCheck.privilegeCheck(
                List.of(SE_LOAD_DRIVER_PRIVILEGE, SE_CHANGE_NOTIFY_PRIVILEGE),
                false,
                admin,
                ProcessorMode.USER))
        .isTrue();
    assertThat(
            PrivilegeCheck.privilegeCheck(
                List.of(SE_LOAD_DRIVER_PRIVILEGE, SE_DEBUG_PRIVILEGE),
                false,
                admin,
                ProcessorMode.USER))
        .isFalse();
  }

  @Test
  void privilegeSetPassesInKernelMode() {
    Token user = tokens.standardUser(alice);

    assertThat(
            PrivilegeCheck.privilegeCheck(
                List.of(SE_LOAD_DRIVER_PRIVILEGE, SE_DEBUG_PRIVILEGE),
                true,
                user,
                ProcessorMode.KERNEL))
        .isTrue();
  }

  @Test
  void anEmptyPrivilegeSetIsABug() {
    Token user = tokens.standardUser(alice);

    assertThatThrownBy(
            () -> PrivilegeCheck.privilegeCheck(List.of(), true, user, ProcessorMode.USER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a privilege set must name at least one privilege");
  }
}
