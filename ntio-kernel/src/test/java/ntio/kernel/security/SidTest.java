package ntio.kernel.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SidTest {

  @Test
  void wellKnownSidsFormatAsNtPrintsThem() {
    assertThat(Sid.NULL_SID).hasToString("S-1-0-0");
    assertThat(Sid.EVERYONE).hasToString("S-1-1-0");
    assertThat(Sid.CREATOR_OWNER).hasToString("S-1-3-0");
    assertThat(Sid.INTERACTIVE).hasToString("S-1-5-4");
    assertThat(Sid.AUTHENTICATED_USERS).hasToString("S-1-5-11");
    assertThat(Sid.LOCAL_SYSTEM).hasToString("S-1-5-18");
    assertThat(Sid.LOCAL_SERVICE).hasToString("S-1-5-19");
    assertThat(Sid.NETWORK_SERVICE).hasToString("S-1-5-20");
    assertThat(Sid.BUILTIN_ADMINISTRATORS).hasToString("S-1-5-32-544");
    assertThat(Sid.BUILTIN_USERS).hasToString("S-1-5-32-545");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "S-1-0-0",
        "S-1-1-0",
        "S-1-5-18",
        "S-1-5-32-544",
        "S-1-5-21-3623811015-3361044348-30300820-1013",
        "S-1-22-1-4294967295",
        "S-1-5",
        "S-1-4294967295-1",
        "S-1-0x123456789ABC-7",
        "S-1-5-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15"
      })
  void parseAndFormatRoundTrip(String text) {
    Sid sid = Sid.parse(text);

    assertThat(sid).hasToString(text);
    assertThat(Sid.tryParse(text)).contains(sid);
  }

  @Test
  void parsedSidsEqualTheConstants() {
    assertThat(Sid.parse("S-1-5-18")).isEqualTo(Sid.LOCAL_SYSTEM);
    assertThat(Sid.parse("s-1-5-32-544")).isEqualTo(Sid.BUILTIN_ADMINISTRATORS);
    assertThat(Sid.parse("S-1-0x5-18")).isEqualTo(Sid.LOCAL_SYSTEM).hasToString("S-1-5-18");
    assertThat(Sid.parse("S-1-5-32-544").hashCode())
        .isEqualTo(Sid.BUILTIN_ADMINISTRATORS.hashCode());
    assertThat(Sid.parse("S-1-5-32-545")).isNotEqualTo(Sid.BUILTIN_ADMINISTRATORS);
  }

  @Test
  void componentsAreExposedUnsigned() {
    Sid sid = Sid.parse("S-1-0x123456789ABC-4294967295-7");

    assertThat(sid.revision()).isEqualTo(1);
    assertThat(sid.identifierAuthority()).isEqualTo(0x123456789ABCL);
    assertThat(sid.subAuthorityCount()).isEqualTo(2);
    assertThat(Integer.toUnsignedLong(sid.subAuthority(0))).isEqualTo(4294967295L);
    assertThat(sid.subAuthority(1)).isEqualTo(7);
  }

  @Test
  void subAuthoritiesAreCopiedSoTheSidStaysImmutable() {
    int[] subs = {32, 544};
    Sid sid = Sid.of(Sid.NT_AUTHORITY, subs);
    subs[1] = 545;
    sid.subAuthorities()[1] = 545;

    assertThat(sid).isEqualTo(Sid.BUILTIN_ADMINISTRATORS);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "S",
        "S-1",
        "S-2-5-18",
        "X-1-5-18",
        "S-1-5-",
        "S-1--18",
        "S-1-5-18-",
        "S-1-5-4294967296",
        "S-1-4294967296-1",
        "S-1-0x1234567890ABC-1",
        "S-1-0x-1",
        "S-1-0xG-1",
        "S-1-5-+18",
        "S-1-5- 18",
        "S-1-5-18 ",
        "S-1-5-1a",
        "S-1-5-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15-16",
        "SY"
      })
  void badStringsAreRejected(String text) {
    assertThat(Sid.tryParse(text)).isEmpty();
    assertThatThrownBy(() -> Sid.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a SID string: \"" + text + "\"");
  }

  @Test
  void ofRejectsAnAuthorityBeyond48BitsAndTooManySubAuthorities() {
    assertThatThrownBy(() -> Sid.of(0x1_0000_0000_0000L, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("identifier authority 281474976710656 is not a 48-bit value");
    assertThatThrownBy(() -> Sid.of(-1, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Sid.of(5, new int[16]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("16 sub-authorities; a SID holds at most 15");
  }

  @Test
  void unixIdsMapAsSambaMapsThem() {
    assertThat(Sid.unixUser(1000)).hasToString("S-1-22-1-1000");
    assertThat(Sid.unixGroup(100)).hasToString("S-1-22-2-100");
    assertThat(Sid.unixUser(0)).hasToString("S-1-22-1-0");
    assertThat(Sid.unixUser(-2)).hasToString("S-1-22-1-4294967294");
    assertThat(Sid.unixUser(1000)).isNotEqualTo(Sid.unixGroup(1000));
  }

  @Test
  void wellKnownSidsHaveTheirAccountNames() {
    assertThat(Sid.LOCAL_SYSTEM.displayName()).isEqualTo("NT AUTHORITY\\SYSTEM");
    assertThat(Sid.LOCAL_SERVICE.displayName()).isEqualTo("NT AUTHORITY\\LOCAL SERVICE");
    assertThat(Sid.NETWORK_SERVICE.displayName()).isEqualTo("NT AUTHORITY\\NETWORK SERVICE");
    assertThat(Sid.AUTHENTICATED_USERS.displayName())
        .isEqualTo("NT AUTHORITY\\Authenticated Users");
    assertThat(Sid.INTERACTIVE.displayName()).isEqualTo("NT AUTHORITY\\INTERACTIVE");
    assertThat(Sid.BUILTIN_ADMINISTRATORS.displayName()).isEqualTo("BUILTIN\\Administrators");
    assertThat(Sid.BUILTIN_USERS.displayName()).isEqualTo("BUILTIN\\Users");
    assertThat(Sid.EVERYONE.displayName()).isEqualTo("Everyone");
    assertThat(Sid.CREATOR_OWNER.displayName()).isEqualTo("CREATOR OWNER");
    assertThat(Sid.NULL_SID.displayName()).isEqualTo("NULL SID");
    assertThat(Sid.unixUser(1000).displayName()).isEqualTo("Unix User\\1000");
    assertThat(Sid.unixGroup(27).displayName()).isEqualTo("Unix Group\\27");
  }

  @Test
  void otherSidsDisplayAsTheirString() {
    assertThat(Sid.parse("S-1-5-21-1-2-3-500").displayName()).isEqualTo("S-1-5-21-1-2-3-500");
    assertThat(Sid.parse("S-1-22-3-5").displayName()).isEqualTo("S-1-22-3-5");
    assertThat(Sid.of(Sid.NT_AUTHORITY).displayName()).isEqualTo("S-1-5");
  }
}
