package ntio.conformance.reactos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import ntio.api.LuidAndAttributes;
import ntio.api.Privilege;
import ntio.conformance.ConformanceHost;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;
import ntio.host.wire.RemoteNt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Port of reactos/reactos {@code modules/rostests/apitests/ntdll/NtUnloadDriver.c},
 * {@code START_TEST(NtUnloadDriver)}: how NtUnloadDriver judges its argument before it looks for
 * any driver, from a real client of a real host. Upstream is one function of twelve
 * {@code ok_hex} checks; each is one test here, in upstream's order, with upstream's status.
 *
 * <p>Upstream's name buffer is a guarded 0x10000-byte allocation filled with {@code L'A'}: its
 * lengths say how much of it NtUnloadDriver may read, and reading past it would fault.
 * {@code UnicodeString.raw} carries exactly that buffer over the socket.
 */
class NtUnloadDriverTest {

  private static final int GUARDED_BYTES = 0x10000;
  private static final int MAXUSHORT = 0xFFFF;

  private static ConformanceHost host;
  private RemoteNt client;

  @BeforeAll
  static void startHost() {
    host = ConformanceHost.start();
  }

  @AfterAll
  static void stopHost() {
    host.close();
  }

  /** Upstream first drops SeLoadDriverPrivilege (and skips everything if it cannot). */
  @BeforeEach
  void dropThePrivilege() {
    client = host.connect("NtUnloadDriver");
    assertThat(adjust(false)).isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  private NtStatus adjust(boolean enable) {
    return client.adjustPrivileges(List.of(enable
        ? LuidAndAttributes.enable(Privilege.SE_LOAD_DRIVER_PRIVILEGE)
        : LuidAndAttributes.disable(Privilege.SE_LOAD_DRIVER_PRIVILEGE))).status();
  }

  private void acquireThePrivilege() {
    assertThat(adjust(true)).isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  private static char[] guardedAs() {
    char[] buffer = new char[GUARDED_BYTES / 2];
    Arrays.fill(buffer, 'A');
    return buffer;
  }

  private NtStatus unload(int length, char[] buffer) {
    return client.unloadDriver(UnicodeString.raw(length, MAXUSHORT, buffer));
  }

  /** Check 1: without the privilege, even a NULL name is refused for the privilege. */
  @Test
  void nullNameWithoutThePrivilegeIsPrivilegeNotHeld() {
    assertThat(client.unloadDriver(null)).isEqualTo(NtStatus.STATUS_PRIVILEGE_NOT_HELD);
  }

  /** Check 2: with the privilege, a NULL name is a fault on the probe. */
  @Test
  void nullNameWithThePrivilegeIsAccessViolation() {
    acquireThePrivilege();
    assertThat(client.unloadDriver(null)).isEqualTo(NtStatus.STATUS_ACCESS_VIOLATION);
  }

  /** Check 3: {@code RtlInitEmptyUnicodeString(&ServiceName, NULL, 0)}. */
  @Test
  void emptyNameIsInvalidParameter() {
    acquireThePrivilege();
    assertThat(client.unloadDriver(UnicodeString.raw(0, 0, null)))
        .isEqualTo(NtStatus.STATUS_INVALID_PARAMETER);
  }

  /** Check 4: Length 0xFFFF, odd and too long for a name. */
  @Test
  void lengthFfffIsObjectNameInvalid() {
    acquireThePrivilege();
    assertThat(unload(0xFFFF, guardedAs())).isEqualTo(NtStatus.STATUS_OBJECT_NAME_INVALID);
  }

  /** Check 5: Length 0xFFFE, even but past the longest name. */
  @Test
  void lengthFffeIsObjectNameInvalid() {
    acquireThePrivilege();
    assertThat(unload(0xFFFE, guardedAs())).isEqualTo(NtStatus.STATUS_OBJECT_NAME_INVALID);
  }

  /** Check 6: Length 0xFFFD. */
  @Test
  void lengthFffdIsObjectNameInvalid() {
    acquireThePrivilege();
    assertThat(unload(0xFFFD, guardedAs())).isEqualTo(NtStatus.STATUS_OBJECT_NAME_INVALID);
  }

  /** Check 7: Length 0xFFFC, the longest name, which does not start with a backslash. */
  @Test
  void lengthFffcOfLettersIsObjectPathSyntaxBad() {
    acquireThePrivilege();
    assertThat(unload(0xFFFC, guardedAs())).isEqualTo(NtStatus.STATUS_OBJECT_PATH_SYNTAX_BAD);
  }

  /** Check 8: Length 0x1000 of letters. */
  @Test
  void length1000OfLettersIsObjectPathSyntaxBad() {
    acquireThePrivilege();
    assertThat(unload(0x1000, guardedAs())).isEqualTo(NtStatus.STATUS_OBJECT_PATH_SYNTAX_BAD);
  }

  /** Check 9: Length 1, half a character. */
  @Test
  void lengthOneIsObjectNameInvalid() {
    acquireThePrivilege();
    assertThat(unload(1, guardedAs())).isEqualTo(NtStatus.STATUS_OBJECT_NAME_INVALID);
  }

  /** Check 10: a backslash just past Length 0xFFFC changes nothing. */
  @Test
  void backslashPastTheLengthIsObjectPathSyntaxBad() {
    acquireThePrivilege();
    char[] buffer = guardedAs();
    buffer[0xFFFC / 2] = '\\';
    assertThat(unload(0xFFFC, buffer)).isEqualTo(NtStatus.STATUS_OBJECT_PATH_SYNTAX_BAD);
  }

  /** Check 11: nor does one as the last character inside it: the name still starts with 'A'. */
  @Test
  void trailingBackslashIsObjectPathSyntaxBad() {
    acquireThePrivilege();
    char[] buffer = guardedAs();
    buffer[0xFFFC / 2] = '\\';
    buffer[0xFFFC / 2 - 1] = '\\';
    assertThat(unload(0xFFFC, buffer)).isEqualTo(NtStatus.STATUS_OBJECT_PATH_SYNTAX_BAD);
  }

  /** Check 12: upstream's exit restores the privilege's old state, which succeeds. */
  @Test
  void restoringThePrivilegeSucceeds() {
    acquireThePrivilege();
    assertThat(adjust(false)).isEqualTo(NtStatus.STATUS_SUCCESS);
  }
}
