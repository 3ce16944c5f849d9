package ntio.kernel.security;

import static ntio.ddk.AccessMask.ACCESS_SYSTEM_SECURITY;
import static ntio.ddk.AccessMask.FILE_ALL_ACCESS;
import static ntio.ddk.AccessMask.FILE_GENERIC_READ;
import static ntio.ddk.AccessMask.FILE_READ_DATA;
import static ntio.ddk.AccessMask.FILE_WRITE_DATA;
import static ntio.ddk.AccessMask.GENERIC_ALL;
import static ntio.ddk.AccessMask.GENERIC_READ;
import static ntio.ddk.AccessMask.GENERIC_WRITE;
import static ntio.ddk.AccessMask.MAXIMUM_ALLOWED;
import static ntio.ddk.AccessMask.READ_CONTROL;
import static ntio.ddk.AccessMask.WRITE_DAC;
import static ntio.ddk.AccessMask.WRITE_OWNER;
import static ntio.ddk.NtStatus.STATUS_ACCESS_DENIED;
import static ntio.ddk.NtStatus.STATUS_PRIVILEGE_NOT_HELD;
import static ntio.ddk.NtStatus.STATUS_SUCCESS;
import static ntio.ddk.ProcessorMode.KERNEL;
import static ntio.ddk.ProcessorMode.USER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import ntio.api.LuidAndAttributes;
import ntio.api.Privilege;
import ntio.ddk.AccessMask;
import ntio.ddk.GenericMapping;
import ntio.ddk.NtStatus;
import ntio.ddk.ProcessorMode;
import org.junit.jupiter.api.Test;

class AccessCheckTest {

  /** IoFileObjectType's mapping. */
  private static final GenericMapping FILE =
      new GenericMapping(
          AccessMask.FILE_GENERIC_READ,
          AccessMask.FILE_GENERIC_WRITE,
          AccessMask.FILE_GENERIC_EXECUTE,
          AccessMask.FILE_ALL_ACCESS);

  /** ObpDirectoryObjectType's mapping. */
  private static final GenericMapping DIRECTORY =
      new GenericMapping(
          AccessMask.STANDARD_RIGHTS_READ
              | AccessMask.DIRECTORY_QUERY
              | AccessMask.DIRECTORY_TRAVERSE,
          AccessMask.STANDARD_RIGHTS_WRITE
              | AccessMask.DIRECTORY_CREATE_OBJECT
              | AccessMask.DIRECTORY_CREATE_SUBDIRECTORY,
          AccessMask.STANDARD_RIGHTS_EXECUTE
              | AccessMask.DIRECTORY_QUERY
              | AccessMask.DIRECTORY_TRAVERSE,
          AccessMask.DIRECTORY_ALL_ACCESS);

  private final Tokens tokens = new Tokens(new LuidAllocator());
  private final Sid alice = Sid.unixUser(1000);
  private final Token user = tokens.standardUser(alice);
  private final Token admin = tokens.administrator(Sid.unixUser(0));

  private static SecurityDescriptor sd(String sddl) {
    return Sddl.parse(sddl).descriptor().orElseThrow();
  }

  private static AccessCheckResult check(String sddl, Token token, int desired) {
    return AccessCheck.accessCheck(sd(sddl), token, desired, FILE, USER, false);
  }

  private static AccessCheckResult result(NtStatus status, int granted) {
    return new AccessCheckResult(status, granted);
  }

  private void enable(Token token, Privilege privilege) {
    token.adjustPrivileges(List.of(LuidAndAttributes.enable(privilege)));
  }

  // Generic mapping.

  @Test
  void genericBitsInTheRequestAreMappedFirst() {
    assertThat(check("D:(A;;FR;;;WD)", user, GENERIC_READ))
        .isEqualTo(result(STATUS_SUCCESS, FILE_GENERIC_READ));
    assertThat(check("D:(A;;FR;;;WD)", user, GENERIC_WRITE))
        .isEqualTo(result(STATUS_ACCESS_DENIED, 0));
  }

  @Test
  void genericBitsInAcesAreMappedWithTheObjectTypesMapping() {
    assertThat(check("D:(A;;GR;;;WD)", user, FILE_READ_DATA))
        .isEqualTo(result(STATUS_SUCCESS, FILE_READ_DATA));
    assertThat(check("D:(A;;GR;;;WD)", user, FILE_WRITE_DATA))
        .isEqualTo(result(STATUS_ACCESS_DENIED, 0));
  }

  // Previous mode.

  @Test
  void kernelModeWithoutForceGetsWhatItAskedForMapped() {
    AccessCheckResult result =
        AccessCheck.accessCheck(
            sd("D:"), user, FILE_READ_DATA | GENERIC_WRITE, FILE, KERNEL, false);

    assertThat(result).isEqualTo(result(STATUS_SUCCESS, 0x120117));
  }

  @Test
  void kernelModeMaximumAllowedIsTheMappingsGenericAll() {
    assertThat(AccessCheck.accessCheck(sd("D:"), user, MAXIMUM_ALLOWED, FILE, KERNEL, false))
        .isEqualTo(result(STATUS_SUCCESS, FILE_ALL_ACCESS));
    assertThat(
            AccessCheck.accessCheck(
                sd("D:"), user, MAXIMUM_ALLOWED | ACCESS_SYSTEM_SECURITY, FILE, KERNEL, false))
        .isEqualTo(result(STATUS_SUCCESS, FILE_ALL_ACCESS | ACCESS_SYSTEM_SECURITY));
  }

  @Test
  void forcedCheckInKernelModeIsCheckedAsUserMode() {
    assertThat(AccessCheck.accessCheck(sd("D:"), user, FILE_READ_DATA, FILE, KERNEL, true))
        .isEqualTo(result(STATUS_ACCESS_DENIED, 0));
    assertThat(
            AccessCheck.accessCheck(
                sd("D:(A;;FR;;;WD)"), user, FILE_READ_DATA, FILE, KERNEL, true))
        .isEqualTo(result(STATUS_SUCCESS, FILE_READ_DATA));
    assertThat(
            AccessCheck.accessCheck(
                sd("D:NO_ACCESS_CONTROL"), user, ACCESS_SYSTEM_SECURITY, FILE, KERNEL, true))
        .isEqualTo(result(STATUS_PRIVILEGE_NOT_HELD, 0));
  }

  // NULL and empty DACL.

  @Test
  void aNullDaclGrantsEveryoneEverything() {
    assertThat(check("D:NO_ACCESS_CONTROL", user, FILE_ALL_ACCESS))
        .isEqualTo(result(STATUS_SUCCESS, FILE_ALL_ACCESS));
    assertThat(check("D:NO_ACCESS_CONTROL", user, MAXIMUM_ALLOWED))
        .isEqualTo(result(STATUS_SUCCESS, FILE_ALL_ACCESS));
    assertThat(check("D:NO_ACCESS_CONTROL", user, MAXIMUM_ALLOWED | WRITE_OWNER))
        .isEqualTo(result(STATUS_SUCCESS, FILE_ALL_ACCESS | WRITE_OWNER));
  }

  @Test
  void anAbsentDaclGrantsEveryoneEverythingToo() {
    assertThat(check("O:SY", user, GENERIC_ALL)).isEqualTo(result(STATUS_SUCCESS, FILE_ALL_ACCESS));
  }

  @Test
  void anEmptyDaclGrantsNothing() {
    assertThat(check("D:", user, FILE_READ_DATA)).isEqualTo(result(STATUS_ACCESS_DENIED, 0));
    assertThat(check("D:", admin, FILE_READ_DATA)).isEqualTo(result(STATUS_ACCESS_DENIED, 0));
    assertThat(check("D:", user, MAXIMUM_ALLOWED)).isEqualTo(result(STATUS_ACCESS_DENIED, 0));
  }

  // Order of the DACL.

  @Test
  void aDenyBeforeTheAllowRefusesTheRightsItCovers() {
    assertThat(check("D:(D;;FW;;;WD)(A;;FA;;;WD)", user, FILE_WRITE_DATA))
        .isEqualTo(result(STATUS_ACCESS_DENIED, 0));
    assertThat(check("D:(D;;FW;;;WD)(A;;FA;;;WD)", user, FILE_READ_DATA | FILE_WRITE_DATA))
        .isEqualTo(result(STATUS_ACCESS_DENIED, 0));
  }

  @Test
  void aDenyThatCoversNoRequestedRightDoesNotRefuse() {
    assertThat(check("D:(D;;0x2;;;WD)(A;;FA;;;WD)", user, FILE_READ_DATA))
        .isEqualTo(result(STATUS_SUCCESS, FILE_READ_DATA));
  }

  @Test
  void aDenyAfterAnAllowThatAlreadyGrantedTheRightDoesNotRefuse() {
    assertThat(check("D:(A;;FA;;;WD)(D;;FW;;;WD)", user, FILE_WRITE_DATA))
        .isEqualTo(result(STATUS_SUCCESS, FILE_WRITE_DATA));
  }

  @Test
  void aDenyReadWhileOtherRightsAreOutstandingIgnoresRightsAlreadyGranted() {
    assertThat(check("D:(A;;0x2;;;WD)(D;;0x2;;;WD)(A;;0x1;;;WD)", user, 0x3))
        .isEqualTo(result(STATUS_SUCCESS, 0x3));
  }

  @Test
  void aDenyAfterAPartialAllowRefusesTheRightStillOutstanding() {
    assertThat(check("D:(A;;0x1;;;WD)(D;;0x2;;;WD)(A;;0x2;;;WD)", user, 0x3))
        .isEqualTo(result(STATUS_ACCESS_DENIED, 0));
  }

  @Test
  void rightsFromSeveralAllowAcesAddUp() {
    assertThat(check("D:(A;;0x1;;;BU)(A;;0x2;;;S-1-22-1-1000)", user, 0x3))
        .isEqualTo(result(STATUS_SUCCESS, 0x3));
    assertThat(check("D:(A;;0x1;;;BU)(A;;0x2;;;S-1-22-1-1000)", user, 0x7))
        .isEqualTo(result(STATUS_ACCESS_DENIED, 0));
  }

  @Test
  void acesForSidsNotInTheTokenAreIgnored() {
    assertThat(check("D:(D;;FA;;;BA)(A;;FA;;;BU)", user, FILE_READ_DATA))
        .isEqualTo(result(STATUS_SUCCESS, FILE_READ_DATA));
    assertThat(check("D:(D;;FA;;;BA)(A;;FA;;;BU)", admin, FILE_READ_DATA))
        .isEqualTo(result(STATUS_ACCESS_DENIED, 0));
    assertThat(check("D:(A;;FA;;;S-1-22-1-1001)", user, FILE_READ_DATA))
        .isEqualTo(result(STATUS_ACCESS_DENIED, 0));
  }

  @Test
  void inheritOnlyAcesAreSkipped() {
    assertThat(check("D:(D;IO;FA;;;WD)(A;;FA;;;WD)", user, FILE_READ_DATA))
        .isEqualTo(result(STATUS_SUCCESS, FILE_READ_DATA));
    assertThat(check("D:(A;OICIIO;FA;;;WD)", user, FILE_READ_DATA))
        .isEqualTo(result(STATUS_ACCESS_DENIED, 0));
    assertThat(check("D:(A;OICI;FA;;;WD)", user, FILE_READ_DATA))
        .isEqualTo(result(STATUS_SUCCESS, FILE_READ_DATA));
  }

  @Test
  void denyOnlyGroupsMatchDenyAcesButNotAllowAces() {
    Token filteredAdmin =
        tokens.create(
            alice,
            List.of(
                new SidAndAttributes(Sid.EVERYONE, SidAndAttributes.DEFAULT_GROUP),
                new SidAndAttributes(
                    Sid.BUILTIN_ADMINISTRATORS, SidAndAttributes.SE_GROUP_USE_FOR_DENY_ONLY)),
            List.of(),
            alice,
            false);

    assertThat(check("D:(A;;FA;;;BA)", filteredAdmin, FILE_READ_DATA))
        .isEqualTo(result(STATUS_ACCESS_DENIED, 0));
    assertThat(check("D:(D;;FW;;;BA)(A;;FA;;;WD)", filteredAdmin, FILE_WRITE_DATA))
        .isEqualTo(result(STATUS_ACCESS_DENIED, 0));
    assertThat(check("D:(D;;FW;;;BA)(A;;FA;;;WD)", filteredAdmin, FILE_READ_DATA))
        .isEqualTo(result(STATUS_SUCCESS, FILE_READ_DATA));
    assertThat(check("O:BAD:", filteredAdmin, READ_CONTROL))
        .as("a deny-only group does not make the token the owner")
        .isEqualTo(result(STATUS_ACCESS_DENIED, 0));
  }

  @Test
  void disabledGroupsMatchNeitherAllowNorDenyAces() {
    Token token =
        tokens.create(
            alice,
            List.of(
                new SidAndAttributes(Sid.EVERYONE, SidAndAttributes.DEFAULT_GROUP),
                new SidAndAttributes(Sid.BUILTIN_ADMINISTRATORS, 0)),
            List.of(),
            alice,
            false);

    assertThat(check("D:(D;;FA;;;BA)(A;;FA;;;WD)", token, FILE_READ_DATA))
        .isEqualTo(result(STATUS_SUCCESS, FILE_READ_DATA));
    assertThat(check("D:(A;;FA;;;BA)", token, FILE_READ_DATA))
        .isEqualTo(result(STATUS_ACCESS_DENIED, 0));
  }

  // Owner.

  @Test
  void theOwnerGetsReadControlAndWriteDacWithoutTheDacl() {
    String ownedByAlice = "O:S-1-22-1-1000D:";

    assertThat(check(ownedByAlice, user, READ_CONTROL | WRITE_DAC))
        .isEqualTo(result(STATUS_SUCCESS, READ_CONTROL | WRITE_DAC));
    assertThat(check(ownedByAlice, tokens.standardUser(Sid.unixUser(1001)), READ_CONTROL))
        .isEqualTo(result(STATUS_ACCESS_DENIED, 0));
    assertThat(check(ownedByAlice, user, READ_CONTROL | FILE_READ_DATA))
        .isEqualTo(result(STATUS_ACCESS_DENIED, 0));
    assertThat(check(ownedByAlice, user, WRITE_OWNER)).isEqualTo(result(STATUS_ACCESS_DENIED, 0));
  }

  @Test
  void theOwnersImplicitRightsSurviveADenyAce() {
    assertThat(check("O:S-1-22-1-1000D:(D;;RC;;;WD)", user, READ_CONTROL))
        .isEqualTo(result(STATUS_SUCCESS, READ_CONTROL));
  }

  @Test
  void anEnabledGroupCanBeTheOwner() {
    assertThat(check("O:BAD:", admin, READ_CONTROL))
        .isEqualTo(result(STATUS_SUCCESS, READ_CONTROL));
  }

  @Test
  void theOwnerAskingForMaximumAllowedGetsOwnerRightsPlusTheDacl() {
    assertThat(check("O:S-1-22-1-1000D:(A;;FR;;;WD)", user, MAXIMUM_ALLOWED))
        .isEqualTo(result(STATUS_SUCCESS, FILE_GENERIC_READ | WRITE_DAC));
    assertThat(check("O:S-1-22-1-1000D:", user, MAXIMUM_ALLOWED))
        .isEqualTo(result(STATUS_SUCCESS, READ_CONTROL | WRITE_DAC));
  }

  // Privileges.

  @Test
  void accessSystemSecurityNeedsSeSecurityPrivilegeEnabled() {
    assertThat(check("D:NO_ACCESS_CONTROL", user, ACCESS_SYSTEM_SECURITY))
        .isEqualTo(result(STATUS_PRIVILEGE_NOT_HELD, 0));
    assertThat(check("D:NO_ACCESS_CONTROL", admin, ACCESS_SYSTEM_SECURITY))
        .as("present but disabled")
        .isEqualTo(result(STATUS_PRIVILEGE_NOT_HELD, 0));
    assertThat(check("D:(A;;0x1000000;;;WD)", user, ACCESS_SYSTEM_SECURITY))
        .as("a DACL cannot grant it")
        .isEqualTo(result(STATUS_PRIVILEGE_NOT_HELD, 0));

    enable(admin, Privilege.SE_SECURITY_PRIVILEGE);

    assertThat(check("D:", admin, ACCESS_SYSTEM_SECURITY))
        .isEqualTo(result(STATUS_SUCCESS, ACCESS_SYSTEM_SECURITY));
    assertThat(check("D:(A;;FR;;;WD)", admin, ACCESS_SYSTEM_SECURITY | FILE_READ_DATA))
        .isEqualTo(result(STATUS_SUCCESS, ACCESS_SYSTEM_SECURITY | FILE_READ_DATA));
  }

  @Test
  void writeOwnerMayComeFromSeTakeOwnershipPrivilegeOrTheDacl() {
    assertThat(check("D:", admin, WRITE_OWNER)).isEqualTo(result(STATUS_ACCESS_DENIED, 0));
    assertThat(check("D:(A;;WO;;;WD)", user, WRITE_OWNER))
        .isEqualTo(result(STATUS_SUCCESS, WRITE_OWNER));

    enable(admin, Privilege.SE_TAKE_OWNERSHIP_PRIVILEGE);

    assertThat(check("D:", admin, WRITE_OWNER)).isEqualTo(result(STATUS_SUCCESS, WRITE_OWNER));
    assertThat(check("D:(D;;WO;;;WD)", admin, WRITE_OWNER))
        .as("the privilege overrides a deny")
        .isEqualTo(result(STATUS_SUCCESS, WRITE_OWNER));
    assertThat(check("D:(A;;FR;;;WD)", admin, MAXIMUM_ALLOWED))
        .as("MAXIMUM_ALLOWED does not pull in privilege rights")
        .isEqualTo(result(STATUS_SUCCESS, FILE_GENERIC_READ));
  }

  // MAXIMUM_ALLOWED.

  @Test
  void maximumAllowedGrantsEverythingTheDaclAllowsInOrder() {
    assertThat(check("D:(A;;FA;;;WD)(D;;FW;;;WD)", user, MAXIMUM_ALLOWED))
        .isEqualTo(result(STATUS_SUCCESS, FILE_ALL_ACCESS));
    assertThat(check("D:(D;;FW;;;WD)(A;;FA;;;WD)", user, MAXIMUM_ALLOWED))
        .as("FW also names READ_CONTROL and SYNCHRONIZE, so those are denied too")
        .isEqualTo(result(STATUS_SUCCESS, FILE_ALL_ACCESS & ~AccessMask.FILE_GENERIC_WRITE));
    assertThat(check("D:(A;;0x1;;;WD)(A;;0x4;;;BU)(A;;0x8;;;BA)", user, MAXIMUM_ALLOWED))
        .isEqualTo(result(STATUS_SUCCESS, 0x5));
  }

  @Test
  void maximumAllowedWithNamedRightsNeedsThoseRightsToo() {
    assertThat(check("D:(A;;FR;;;WD)", user, MAXIMUM_ALLOWED | FILE_READ_DATA))
        .isEqualTo(result(STATUS_SUCCESS, FILE_GENERIC_READ));
    assertThat(check("D:(A;;FR;;;WD)", user, MAXIMUM_ALLOWED | FILE_WRITE_DATA))
        .isEqualTo(result(STATUS_ACCESS_DENIED, 0));
  }

  @Test
  void maximumAllowedWithNothingAllowedIsDenied() {
    assertThat(check("D:(A;;FA;;;BA)", user, MAXIMUM_ALLOWED))
        .isEqualTo(result(STATUS_ACCESS_DENIED, 0));
    assertThat(check("D:(D;;FA;;;WD)(A;;FA;;;WD)", user, MAXIMUM_ALLOWED))
        .isEqualTo(result(STATUS_ACCESS_DENIED, 0));
  }

  // Zero access and previously granted access.

  @Test
  void aUserModeRequestForZeroAccessIsDeniedAsInNt() {
    assertThat(check("D:NO_ACCESS_CONTROL", user, 0)).isEqualTo(result(STATUS_ACCESS_DENIED, 0));
    assertThat(AccessCheck.accessCheck(sd("D:"), user, 0, FILE, KERNEL, false))
        .isEqualTo(result(STATUS_SUCCESS, 0));
    assertThat(AccessCheck.accessCheck(sd("D:"), user, 0, FILE_READ_DATA, FILE, USER, false))
        .isEqualTo(result(STATUS_SUCCESS, FILE_READ_DATA));
  }

  @Test
  void previouslyGrantedAccessIsKeptAndAddedTo() {
    assertThat(
            AccessCheck.accessCheck(
                sd("D:(A;;0x2;;;WD)"), user, FILE_WRITE_DATA, FILE_READ_DATA, FILE, USER, false))
        .isEqualTo(result(STATUS_SUCCESS, FILE_READ_DATA | FILE_WRITE_DATA));
    assertThat(
            AccessCheck.accessCheck(
                sd("D:(A;;0x2;;;WD)"), user, FILE_WRITE_DATA, GENERIC_READ, FILE, KERNEL, false))
        .isEqualTo(result(STATUS_SUCCESS, FILE_GENERIC_READ | FILE_WRITE_DATA));
  }

  // The kernel's default descriptors.

  @Test
  void publicDefaultLetsEveryoneReadAndExecuteButOnlySystemAndAdministratorsWrite() {
    SecurityDescriptor sd = SecurityDescriptor.PUBLIC_DEFAULT;
    Token system = tokens.system();

    assertThat(AccessCheck.accessCheck(sd, user, GENERIC_READ, DIRECTORY, USER, false))
        .isEqualTo(result(STATUS_SUCCESS, 0x20003));
    assertThat(AccessCheck.accessCheck(sd, user, GENERIC_WRITE, DIRECTORY, USER, false))
        .isEqualTo(result(STATUS_ACCESS_DENIED, 0));
    assertThat(AccessCheck.accessCheck(sd, user, MAXIMUM_ALLOWED, DIRECTORY, USER, false))
        .isEqualTo(result(STATUS_SUCCESS, 0x20003));
    assertThat(AccessCheck.accessCheck(sd, admin, GENERIC_ALL, DIRECTORY, USER, false))
        .isEqualTo(result(STATUS_SUCCESS, AccessMask.DIRECTORY_ALL_ACCESS));
    assertThat(AccessCheck.accessCheck(sd, system, MAXIMUM_ALLOWED, DIRECTORY, USER, false))
        .isEqualTo(result(STATUS_SUCCESS, AccessMask.DIRECTORY_ALL_ACCESS));
  }

  @Test
  void aSysAllAdmAllDeviceKeepsStandardUsersOut() {
    SecurityDescriptor sd = sd(Sddl.SDDL_DEVOBJ_SYS_ALL_ADM_ALL);

    assertThat(AccessCheck.accessCheck(sd, user, GENERIC_READ, FILE, USER, false))
        .isEqualTo(result(STATUS_ACCESS_DENIED, 0));
    assertThat(AccessCheck.accessCheck(sd, admin, GENERIC_READ | GENERIC_WRITE, FILE, USER, false))
        .isEqualTo(result(STATUS_SUCCESS, FILE_GENERIC_READ | AccessMask.FILE_GENERIC_WRITE));
    assertThat(AccessCheck.accessCheck(sd, user, GENERIC_READ, FILE, ProcessorMode.KERNEL, false))
        .isEqualTo(result(STATUS_SUCCESS, FILE_GENERIC_READ));
  }

  @Test
  void aKernelOnlyDeviceOpensOnlyFromKernelMode() {
    SecurityDescriptor sd = sd(Sddl.SDDL_DEVOBJ_KERNEL_ONLY);

    assertThat(AccessCheck.accessCheck(sd, tokens.system(), GENERIC_READ, FILE, USER, false))
        .isEqualTo(result(STATUS_ACCESS_DENIED, 0));
    assertThat(AccessCheck.accessCheck(sd, tokens.system(), GENERIC_READ, FILE, KERNEL, false))
        .isEqualTo(result(STATUS_SUCCESS, FILE_GENERIC_READ));
  }

  // Handle access.

  @Test
  void aHandleIsGoodEnoughWhenItsGrantedAccessCoversTheMappedRequest() {
    assertThat(AccessCheck.checkHandleAccess(FILE_GENERIC_READ, FILE_READ_DATA, FILE, USER))
        .isEqualTo(STATUS_SUCCESS);
    assertThat(AccessCheck.checkHandleAccess(FILE_GENERIC_READ, GENERIC_READ, FILE, USER))
        .isEqualTo(STATUS_SUCCESS);
    assertThat(AccessCheck.checkHandleAccess(FILE_READ_DATA, GENERIC_READ, FILE, USER))
        .isEqualTo(STATUS_ACCESS_DENIED);
    assertThat(AccessCheck.checkHandleAccess(0, 0, FILE, USER)).isEqualTo(STATUS_SUCCESS);
    assertThat(AccessCheck.checkHandleAccess(FILE_READ_DATA, FILE_WRITE_DATA, FILE, KERNEL))
        .isEqualTo(STATUS_SUCCESS);
    assertThat(AccessCheck.deniedAccesses(FILE_READ_DATA, GENERIC_READ, FILE))
        .isEqualTo(FILE_GENERIC_READ & ~FILE_READ_DATA);
  }

  @Test
  void aFailedResultCarriesNoGrantedAccess() {
    assertThatThrownBy(() -> new AccessCheckResult(STATUS_ACCESS_DENIED, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("failed check STATUS_ACCESS_DENIED (0xC0000022) cannot grant 0x00000001");
    assertThat(result(STATUS_SUCCESS, FILE_ALL_ACCESS))
        .hasToString("STATUS_SUCCESS (0x00000000) granted 0x001F01FF");
    assertThat(result(STATUS_SUCCESS, 0).isGranted()).isTrue();
    assertThat(result(STATUS_ACCESS_DENIED, 0).isGranted()).isFalse();
  }
}
