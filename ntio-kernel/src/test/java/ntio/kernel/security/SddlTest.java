package ntio.kernel.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.stream.Stream;
import ntio.ddk.AccessMask;
import ntio.ddk.NtStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SddlTest {

  private static SecurityDescriptor parsed(String sddl) {
    Sddl.ParseResult result = Sddl.parse(sddl);
    assertThat(result.status()).as(sddl).isEqualTo(NtStatus.STATUS_SUCCESS);
    return result.descriptor().orElseThrow();
  }

  @Test
  void devobjSysAllAdmAllParsesToAProtectedTwoAceDacl() {
    SecurityDescriptor descriptor = parsed(Sddl.SDDL_DEVOBJ_SYS_ALL_ADM_ALL);

    assertThat(descriptor.owner()).isEmpty();
    assertThat(descriptor.group()).isEmpty();
    assertThat(descriptor.isDaclPresent()).isTrue();
    assertThat(descriptor.isDaclProtected()).isTrue();
    assertThat(descriptor.dacl())
        .contains(
            Acl.of(
                Ace.allow(AccessMask.GENERIC_ALL, Sid.LOCAL_SYSTEM),
                Ace.allow(AccessMask.GENERIC_ALL, Sid.BUILTIN_ADMINISTRATORS)));
    assertThat(descriptor.control())
        .isEqualTo(
            SecurityDescriptor.SE_SELF_RELATIVE
                | SecurityDescriptor.SE_DACL_PRESENT
                | SecurityDescriptor.SE_DACL_PROTECTED);
  }

  @Test
  void multiCodeRightsParseToTheUnionOfTheirBits() {
    SecurityDescriptor descriptor = parsed("D:P(A;;GA;;;SY)(A;;GRGWGX;;;BA)(A;;GR;;;WD)");

    assertThat(descriptor.dacl().orElseThrow().aces())
        .containsExactly(
            Ace.allow(AccessMask.GENERIC_ALL, Sid.LOCAL_SYSTEM),
            Ace.allow(
                AccessMask.GENERIC_READ | AccessMask.GENERIC_WRITE | AccessMask.GENERIC_EXECUTE,
                Sid.BUILTIN_ADMINISTRATORS),
            Ace.allow(AccessMask.GENERIC_READ, Sid.EVERYONE));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "D:",
        "D:P",
        "D:NO_ACCESS_CONTROL",
        "D:PNO_ACCESS_CONTROL",
        "O:SY",
        "O:BAG:SYD:(A;;GA;;;SY)(A;;GA;;;BA)(A;;GRGX;;;WD)",
        Sddl.SDDL_DEVOBJ_KERNEL_ONLY,
        Sddl.SDDL_DEVOBJ_SYS_ALL,
        Sddl.SDDL_DEVOBJ_SYS_ALL_ADM_ALL,
        Sddl.SDDL_DEVOBJ_SYS_ALL_ADM_RX,
        Sddl.SDDL_DEVOBJ_SYS_ALL_ADM_RWX_WORLD_R,
        "D:(D;;GW;;;BU)(A;;GR;;;BU)",
        "D:(A;OICINPIOID;GA;;;CO)",
        "D:(A;;RCSDWDWO;;;AU)(A;;0x1200a9;;;IU)(A;;0x0;;;LS)(A;;0x1;;;NS)",
        "D:(A;;FA;;;SY)(A;;FR;;;BA)(A;;FW;;;BU)(A;;FX;;;WD)",
        "D:(A;;KA;;;SY)(A;;KR;;;BA)(A;;KW;;;BU)",
        "O:S-1-5-21-1-2-3-500G:S-1-22-2-100D:(D;;GX;;;S-1-22-1-1000)(A;;GA;;;S-1-22-1-1000)"
      })
  void formatReproducesCanonicalText(String sddl) {
    SecurityDescriptor descriptor = parsed(sddl);

    assertThat(descriptor.toSddl()).isEqualTo(sddl);
    assertThat(parsed(descriptor.toSddl())).isEqualTo(descriptor);
  }

  static Stream<Arguments> compositeRights() {
    return Stream.of(
        Arguments.of("FA", 0x1F01FF),
        Arguments.of("FR", 0x120089),
        Arguments.of("FW", 0x120116),
        Arguments.of("FX", 0x1200A0),
        Arguments.of("KA", 0xF003F),
        Arguments.of("KR", 0x20019),
        Arguments.of("KW", 0x20006),
        Arguments.of("KX", 0x20019),
        Arguments.of("GA", 0x10000000),
        Arguments.of("GR", 0x80000000),
        Arguments.of("GW", 0x40000000),
        Arguments.of("GX", 0x20000000),
        Arguments.of("RC", 0x20000),
        Arguments.of("SD", 0x10000),
        Arguments.of("WD", 0x40000),
        Arguments.of("WO", 0x80000),
        Arguments.of("0x1f01ff", 0x1F01FF),
        Arguments.of("0X1F01FF", 0x1F01FF),
        Arguments.of("0xFFFFFFFF", 0xFFFFFFFF));
  }

  @ParameterizedTest
  @MethodSource("compositeRights")
  void rightCodesHaveTheirNtValues(String code, int mask) {
    SecurityDescriptor descriptor = parsed("D:(A;;" + code + ";;;WD)");

    assertThat(descriptor.dacl().orElseThrow().aces().get(0).mask()).isEqualTo(mask);
  }

  @Test
  void rightsFormatAsCompositeThenSingleCodesThenHex() {
    assertThat(Sddl.formatRights(0x1F01FF)).isEqualTo("FA");
    assertThat(Sddl.formatRights(0x20019)).as("KX has KR's value").isEqualTo("KR");
    assertThat(Sddl.formatRights(AccessMask.GENERIC_READ | AccessMask.GENERIC_EXECUTE))
        .isEqualTo("GRGX");
    assertThat(Sddl.formatRights(AccessMask.READ_CONTROL | AccessMask.FILE_READ_DATA))
        .isEqualTo("0x20001");
    assertThat(Sddl.formatRights(0)).isEqualTo("0x0");
  }

  @Test
  void sidAliasesNameTheWellKnownSids() {
    SecurityDescriptor descriptor =
        parsed("D:(A;;GA;;;SY)(A;;GA;;;BA)(A;;GA;;;BU)(A;;GA;;;WD)(A;;GA;;;AU)(A;;GA;;;IU)"
            + "(A;;GA;;;LS)(A;;GA;;;NS)(A;;GA;;;CO)");

    assertThat(descriptor.dacl().orElseThrow().aces())
        .extracting(Ace::sid)
        .containsExactly(
            Sid.LOCAL_SYSTEM,
            Sid.BUILTIN_ADMINISTRATORS,
            Sid.BUILTIN_USERS,
            Sid.EVERYONE,
            Sid.AUTHENTICATED_USERS,
            Sid.INTERACTIVE,
            Sid.LOCAL_SERVICE,
            Sid.NETWORK_SERVICE,
            Sid.CREATOR_OWNER);
  }

  @Test
  void literalWellKnownSidsFormatAsAliases() {
    assertThat(parsed("O:S-1-5-18D:(A;;GA;;;S-1-5-32-544)").toSddl())
        .isEqualTo("O:SYD:(A;;GA;;;BA)");
  }

  @Test
  void aceFlagsParseToTheirBits() {
    Ace ace = parsed("D:(A;OICIIO;GA;;;CO)").dacl().orElseThrow().aces().get(0);

    assertThat(ace.flags())
        .isEqualTo(Ace.OBJECT_INHERIT_ACE | Ace.CONTAINER_INHERIT_ACE | Ace.INHERIT_ONLY_ACE);
    assertThat(ace.isInheritOnly()).isTrue();
  }

  @Test
  void nullDaclEmptyDaclAndNoDaclAreDistinct() {
    SecurityDescriptor nullDacl = parsed("D:NO_ACCESS_CONTROL");
    SecurityDescriptor emptyDacl = parsed("D:");
    SecurityDescriptor noDacl = parsed("O:BA");

    assertThat(nullDacl.isDaclPresent()).isTrue();
    assertThat(nullDacl.dacl()).isEmpty();
    assertThat(emptyDacl.isDaclPresent()).isTrue();
    assertThat(emptyDacl.dacl()).contains(Acl.empty());
    assertThat(noDacl.isDaclPresent()).isFalse();
    assertThat(noDacl.dacl()).isEmpty();
    assertThat(nullDacl).isNotEqualTo(emptyDacl).isNotEqualTo(noDacl);
  }

  @Test
  void sectionsMayComeInAnyOrder() {
    SecurityDescriptor descriptor = parsed("D:(A;;GA;;;SY)G:SYO:BA");

    assertThat(descriptor.owner()).contains(Sid.BUILTIN_ADMINISTRATORS);
    assertThat(descriptor.group()).contains(Sid.LOCAL_SYSTEM);
    assertThat(descriptor.toSddl()).isEqualTo("O:BAG:SYD:(A;;GA;;;SY)");
  }

  @Test
  void publicDefaultIsSystemAndAdministratorsAllEveryoneReadExecute() {
    assertThat(SecurityDescriptor.PUBLIC_DEFAULT.toSddl())
        .isEqualTo("O:BAG:SYD:(A;;GA;;;SY)(A;;GA;;;BA)(A;;GRGX;;;WD)");
    assertThat(parsed(SecurityDescriptor.PUBLIC_DEFAULT.toSddl()))
        .isEqualTo(SecurityDescriptor.PUBLIC_DEFAULT)
        .hasSameHashCodeAs(SecurityDescriptor.PUBLIC_DEFAULT);
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of("garbage", NtStatus.STATUS_INVALID_PARAMETER),
        Arguments.of("X:SY", NtStatus.STATUS_INVALID_PARAMETER),
        Arguments.of("O:SYO:BA", NtStatus.STATUS_INVALID_PARAMETER),
        Arguments.of("G:SYG:BA", NtStatus.STATUS_INVALID_PARAMETER),
        Arguments.of("D:D:", NtStatus.STATUS_INVALID_PARAMETER),
        Arguments.of("S:(AU;SA;GA;;;WD)", NtStatus.STATUS_INVALID_PARAMETER),
        Arguments.of("D:AI(A;;GA;;;SY)", NtStatus.STATUS_INVALID_PARAMETER),
        Arguments.of("D:PP", NtStatus.STATUS_INVALID_PARAMETER),
        Arguments.of("D:(A;;GA;;;SY)junk", NtStatus.STATUS_INVALID_PARAMETER),
        Arguments.of("D:(A;;GA;;;SY) ", NtStatus.STATUS_INVALID_PARAMETER),
        Arguments.of("D:(A;;GA;;;SY", NtStatus.STATUS_INVALID_ACL),
        Arguments.of("D:(A;;GA;;;SY)(", NtStatus.STATUS_INVALID_ACL),
        Arguments.of("D:(A;;GA;;SY)", NtStatus.STATUS_INVALID_ACL),
        Arguments.of("D:(A;;GA;;;SY;)", NtStatus.STATUS_INVALID_ACL),
        Arguments.of("D:()", NtStatus.STATUS_INVALID_ACL),
        Arguments.of("D:(OA;;GA;;;SY)", NtStatus.STATUS_INVALID_ACL),
        Arguments.of("D:(AU;;GA;;;SY)", NtStatus.STATUS_INVALID_ACL),
        Arguments.of("D:(A;XX;GA;;;SY)", NtStatus.STATUS_INVALID_ACL),
        Arguments.of("D:(A;O;GA;;;SY)", NtStatus.STATUS_INVALID_ACL),
        Arguments.of("D:(A;OIOI;GA;;;SY)", NtStatus.STATUS_INVALID_ACL),
        Arguments.of("D:(A;;GZ;;;SY)", NtStatus.STATUS_INVALID_ACL),
        Arguments.of("D:(A;;G;;;SY)", NtStatus.STATUS_INVALID_ACL),
        Arguments.of("D:(A;;;;;SY)", NtStatus.STATUS_INVALID_ACL),
        Arguments.of("D:(A;;0x;;;SY)", NtStatus.STATUS_INVALID_ACL),
        Arguments.of("D:(A;;0xZZ;;;SY)", NtStatus.STATUS_INVALID_ACL),
        Arguments.of("D:(A;;0x123456789;;;SY)", NtStatus.STATUS_INVALID_ACL),
        Arguments.of("D:(A;;2032127;;;SY)", NtStatus.STATUS_INVALID_ACL),
        Arguments.of(
            "D:(A;;GA;b0e4c6c2-0000-0000-0000-000000000000;;SY)", NtStatus.STATUS_INVALID_ACL),
        Arguments.of("D:NO_ACCESS_CONTROL(A;;GA;;;SY)", NtStatus.STATUS_INVALID_ACL),
        Arguments.of("D:(A;;GA;;;XX)", NtStatus.STATUS_INVALID_SID),
        Arguments.of("D:(A;;GA;;;)", NtStatus.STATUS_INVALID_SID),
        Arguments.of("D:(A;;GA;;;S-1-5-)", NtStatus.STATUS_INVALID_SID),
        Arguments.of("D:(A;;GA;;;sy)", NtStatus.STATUS_INVALID_SID),
        Arguments.of("O:ZZ", NtStatus.STATUS_INVALID_SID),
        Arguments.of("O:", NtStatus.STATUS_INVALID_SID),
        Arguments.of("O:G:SY", NtStatus.STATUS_INVALID_SID),
        Arguments.of("O:S-2-5-18", NtStatus.STATUS_INVALID_SID),
        Arguments.of("G:S-1-5-18x", NtStatus.STATUS_INVALID_SID));
  }

  @ParameterizedTest
  @MethodSource("malformed")
  void malformedTextYieldsAStatusAndNoDescriptor(String sddl, NtStatus expected) {
    Sddl.ParseResult result = Sddl.parse(sddl);

    assertThat(result.status()).isEqualTo(expected);
    assertThat(result.descriptor()).isEmpty();
  }

  @Test
  void aParseResultPairsSuccessWithADescriptorOnly() {
    assertThatThrownBy(() -> new Sddl.ParseResult(NtStatus.STATUS_SUCCESS, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new Sddl.ParseResult(
                    NtStatus.STATUS_INVALID_ACL, Optional.of(SecurityDescriptor.PUBLIC_DEFAULT)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aProtectedFlagWithoutADaclIsABug() {
    assertThatThrownBy(() -> SecurityDescriptor.builder().daclProtected(true).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("SE_DACL_PROTECTED set without a DACL");
  }

  @Test
  void aceRejectsUnknownTypesAndFlags() {
    assertThatThrownBy(() -> new Ace(2, 0, 1, Sid.EVERYONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unsupported ACE type 2");
    assertThatThrownBy(() -> new Ace(Ace.ACCESS_ALLOWED_ACE_TYPE, 0x40, 1, Sid.EVERYONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ACE flags 0x40 outside VALID_INHERIT_FLAGS 0x1f");
  }
}
