package ntio.kernel.io;

import static ntio.ddk.NtStatus.STATUS_ACCESS_VIOLATION;
import static ntio.ddk.NtStatus.STATUS_DELETE_PENDING;
import static ntio.ddk.NtStatus.STATUS_IMAGE_ALREADY_LOADED;
import static ntio.ddk.NtStatus.STATUS_INVALID_DEVICE_REQUEST;
import static ntio.ddk.NtStatus.STATUS_INVALID_PARAMETER;
import static ntio.ddk.NtStatus.STATUS_OBJECT_NAME_INVALID;
import static ntio.ddk.NtStatus.STATUS_OBJECT_NAME_NOT_FOUND;
import static ntio.ddk.NtStatus.STATUS_OBJECT_PATH_SYNTAX_BAD;
import static ntio.ddk.NtStatus.STATUS_PRIVILEGE_NOT_HELD;
import static ntio.ddk.NtStatus.STATUS_SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import ntio.ddk.DeviceFlags;
import ntio.ddk.DriverFlags;
import ntio.ddk.Handle;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;
import ntio.kernel.io.unloadtests.scripted.ScriptedNames;
import ntio.kernel.process.KThread;
import ntio.kernel.security.Sid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * NtUnloadDriver's protocol on real driver images (spec B13–B19, T12, T15, T18–T22, T36): the
 * checks in NT's order, which drivers it refuses, and an unload with nothing open — DriverUnload
 * at once, on a System worker, and the name gone when the call returns.
 */
@Timeout(60)
class DriverUnloadingTest {

  @TempDir
  Path state;

  private UnloadFixture f;

  @BeforeEach
  void boot() {
    f = UnloadFixture.boot(state);
  }

  @AfterEach
  void shutdown() {
    f.close();
  }

  private static RegValue device(String name) {
    return RegValue.string(ScriptedNames.DEVICE_NAME, name);
  }

  /** A buffer of 'A' long enough for every length a UNICODE_STRING can claim (T21, T22). */
  private static char[] letters() {
    char[] buffer = new char[0x8000];
    Arrays.fill(buffer, 'A');
    return buffer;
  }

  // B13: privilege, capture, empty -------------------------------------------------------------

  @Test
  void B13_T18_withoutThePrivilegeEvenANullNameIsPrivilegeNotHeld() {
    KThread disabled = f.kernel.administratorSession("privilege-disabled", Sid.unixUser(1001));
    KThread user = f.kernel.userSession("standard-user", Sid.unixUser(1002));

    assertThat(f.kernel.services().ntUnloadDriver(disabled, null)).isEqualTo(STATUS_PRIVILEGE_NOT_HELD);
    assertThat(f.kernel.services().ntUnloadDriver(user, null)).isEqualTo(STATUS_PRIVILEGE_NOT_HELD);
    assertThat(f.kernel.services().ntUnloadDriver(disabled, UnicodeString.raw(0, 0, null)))
        .isEqualTo(STATUS_PRIVILEGE_NOT_HELD);
    assertThat(f.kernel.services().ntUnloadDriver(disabled, UnicodeString.raw(1, 0xFFFF, letters())))
        .isEqualTo(STATUS_PRIVILEGE_NOT_HELD);
  }

  @Test
  void B13_withoutThePrivilegeALoadedDriverIsLeftAlone() {
    f.installScripted("UnlKeep", device("\\Device\\UnlKeep"));
    assertThat(f.load("UnlKeep")).isEqualTo(STATUS_SUCCESS);
    KThread disabled = f.kernel.administratorSession("privilege-disabled", Sid.unixUser(1001));

    assertThat(f.kernel.services().ntUnloadDriver(disabled, UnloadFixture.serviceKey("UnlKeep")))
        .isEqualTo(STATUS_PRIVILEGE_NOT_HELD);

    assertThat(f.observed("UnlKeep", ScriptedNames.UNLOADS)).isZero();
    assertThat(f.driverResolves("\\Driver\\UnlKeep")).isTrue();
    assertThat(f.deviceState("\\Device\\UnlKeep").extensionFlags()).isZero();
    f.close(f.open(f.admin, "\\Device\\UnlKeep"));
    assertThat(f.unload("UnlKeep")).isEqualTo(STATUS_SUCCESS);
  }

  @Test
  void B13_T19_aNullNameWithThePrivilegeIsAccessViolation() {
    assertThat(f.kernel.services().ntUnloadDriver(f.admin, null)).isEqualTo(STATUS_ACCESS_VIOLATION);
  }

  @Test
  void B13_T20_anEmptyNameIsInvalidParameter() {
    assertThat(f.kernel.services().ntUnloadDriver(f.admin, UnicodeString.raw(0, 0, null)))
        .isEqualTo(STATUS_INVALID_PARAMETER);
    assertThat(f.kernel.services().ntUnloadDriver(f.admin, UnicodeString.empty()))
        .isEqualTo(STATUS_INVALID_PARAMETER);
  }

  @Test
  void B13_aNameWhoseBufferIsShorterThanItsLengthIsAccessViolation() {
    UnicodeString shortBuffer = UnicodeString.raw(40, 40, "\\Reg".toCharArray());

    assertThat(f.kernel.services().ntUnloadDriver(f.admin, shortBuffer)).isEqualTo(STATUS_ACCESS_VIOLATION);
    assertThat(f.kernel.services().ntUnloadDriver(f.admin, UnicodeString.raw(8, 8, null)))
        .isEqualTo(STATUS_ACCESS_VIOLATION);
  }

  // B14: the name is validated by opening the key ------------------------------------------------

  @ParameterizedTest(name = "Length 0x{0}")
  @ValueSource(ints = {0xFFFF, 0xFFFE, 0xFFFD, 1})
  void B14_T21_anOddOrOversizedLengthIsObjectNameInvalid(int length) {
    UnicodeString name = UnicodeString.raw(length, 0xFFFF, letters());

    assertThat(f.kernel.services().ntUnloadDriver(f.admin, name)).isEqualTo(STATUS_OBJECT_NAME_INVALID);
  }

  static Stream<Arguments> namesWithoutALeadingBackslash() {
    char[] pastTheEnd = letters();
    pastTheEnd[0xFFFC / 2] = '\\';
    char[] last = letters();
    last[0xFFFC / 2 - 1] = '\\';
    return Stream.of(
        Arguments.of("Length 0xFFFC", UnicodeString.raw(0xFFFC, 0xFFFF, letters())),
        Arguments.of("Length 0x1000", UnicodeString.raw(0x1000, 0xFFFF, letters())),
        Arguments.of("Length 0xFFFC, a backslash just past the end", UnicodeString.raw(0xFFFC, 0xFFFF, pastTheEnd)),
        Arguments.of("Length 0xFFFC, a backslash as the last character", UnicodeString.raw(0xFFFC, 0xFFFF, last)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("namesWithoutALeadingBackslash")
  void B14_T22_aNameNotStartingWithABackslashIsObjectPathSyntaxBad(String description, UnicodeString name) {
    assertThat(f.kernel.services().ntUnloadDriver(f.admin, name)).isEqualTo(STATUS_OBJECT_PATH_SYNTAX_BAD);
  }

  // B15: finding the driver object --------------------------------------------------------------

  @Test
  void B15_T12_unloadingAMissingServiceIsObjectNameNotFound() {
    assertThat(f.unload("deadbeef")).isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
    assertThat(f.driverResolves("\\Driver\\deadbeef")).isFalse();
  }

  @Test
  void B15_aServiceWhoseDriverIsNotLoadedIsObjectNameNotFound() {
    f.installScripted("UnlNotLoaded", device("\\Device\\UnlNotLoaded"));

    assertThat(f.unload("UnlNotLoaded")).isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
    assertThat(f.hasObserved("UnlNotLoaded", ScriptedNames.UNLOADS)).isFalse();
  }

  @Test
  void B15_aDriverNamedByObjectNameUnloads() {
    f.installScripted("UnlRenamed", 1, "\\Driver\\UnlOtherName", false, device("\\Device\\UnlRenamed"));
    assertThat(f.load("UnlRenamed")).isEqualTo(STATUS_SUCCESS);
    assertThat(f.driverResolves("\\Driver\\UnlOtherName")).isTrue();
    assertThat(f.driverResolves("\\Driver\\UnlRenamed")).isFalse();

    assertThat(f.unload("UnlRenamed")).isEqualTo(STATUS_SUCCESS);

    assertThat(f.observed("UnlRenamed", ScriptedNames.UNLOADS)).isEqualTo(1);
    assertThat(f.driverResolves("\\Driver\\UnlOtherName")).isFalse();
    assertThat(f.deviceResolves("\\Device\\UnlRenamed")).isFalse();
    f.awaitUnloaded("UnlRenamed", "\\Driver\\UnlOtherName", 1);
    f.assertReloadsAndUnloadsAgain("UnlRenamed", "\\Driver\\UnlOtherName", 1);
  }

  @Test
  void B15_B43_aFileSystemDriverUnloadsFromTheFileSystemDirectory() {
    f.installScripted("UnlFsPlain", 2, null, false, device("\\Device\\UnlFsPlain"));
    assertThat(f.load("UnlFsPlain")).isEqualTo(STATUS_SUCCESS);
    assertThat(f.driverResolves("\\FileSystem\\UnlFsPlain")).isTrue();
    assertThat(f.driverResolves("\\Driver\\UnlFsPlain")).isFalse();

    assertThat(f.unload("UnlFsPlain")).isEqualTo(STATUS_SUCCESS);

    assertThat(f.observed("UnlFsPlain", ScriptedNames.UNLOADS)).isEqualTo(1);
    assertThat(f.driverResolves("\\FileSystem\\UnlFsPlain")).isFalse();
    f.awaitUnloaded("UnlFsPlain", "\\FileSystem\\UnlFsPlain", 1);
    f.assertReloadsAndUnloadsAgain("UnlFsPlain", "\\FileSystem\\UnlFsPlain", 1);
  }

  // B16: unload already invoked ------------------------------------------------------------------

  @Test
  void B16_anUnloadFromInsideDriverUnloadIsDeletePending() {
    f.installScripted("UnlSelf", device("\\Device\\UnlSelf"),
        RegValue.dword(ScriptedNames.UNLOAD_SELF_IN_UNLOAD, 1));
    assertThat(f.load("UnlSelf")).isEqualTo(STATUS_SUCCESS);

    assertThat(f.unload("UnlSelf")).isEqualTo(STATUS_SUCCESS);

    // Inside DriverUnload the name still resolves and DRVO_UNLOAD_INVOKED is set.
    assertThat(f.observed("UnlSelf", ScriptedNames.UNLOAD_IN_UNLOAD_STATUS)).isEqualTo(STATUS_DELETE_PENDING.code());
    assertThat(f.observed("UnlSelf", ScriptedNames.UNLOADS)).isEqualTo(1);
    assertThat(f.driverResolves("\\Driver\\UnlSelf")).isFalse();
    assertThat(f.unload("UnlSelf")).isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
  }

  // B17: not unloadable --------------------------------------------------------------------------

  @Test
  void B17_aDriverWithoutDriverUnloadIsInvalidDeviceRequestAndNothingChanges() {
    f.installScripted("UnlNoUnload", device("\\Device\\UnlNoUnload"),
        RegValue.string(ScriptedNames.SECOND_DEVICE, "\\Device\\UnlNoUnload2"),
        RegValue.dword(ScriptedNames.NO_UNLOAD, 1));
    assertThat(f.load("UnlNoUnload")).isEqualTo(STATUS_SUCCESS);
    int flags = f.driverState("\\Driver\\UnlNoUnload").flags();

    assertThat(f.unload("UnlNoUnload")).isEqualTo(STATUS_INVALID_DEVICE_REQUEST);

    assertThat(f.driverState("\\Driver\\UnlNoUnload").flags()).isEqualTo(flags);
    assertThat(f.deviceState("\\Device\\UnlNoUnload").extensionFlags()).isZero();
    assertThat(f.deviceState("\\Device\\UnlNoUnload2").extensionFlags()).isZero();
    f.close(f.open(f.admin, "\\Device\\UnlNoUnload"));
    assertThat(f.load("UnlNoUnload")).isEqualTo(STATUS_IMAGE_ALREADY_LOADED);
    assertThat(f.unload("UnlNoUnload")).isEqualTo(STATUS_INVALID_DEVICE_REQUEST);
    assertThat(f.imageLoaded("UnlNoUnload.jar")).isTrue();
  }

  @Test
  void B17_aWdmDriverIsInvalidDeviceRequestAndItsDevicesAreNotMarked() {
    f.installScripted("UnlWdm", 1, null, true, device("\\Device\\UnlWdm"));
    assertThat(f.load("UnlWdm")).isEqualTo(STATUS_SUCCESS);
    assertThat(f.driverState("\\Driver\\UnlWdm").flags() & DriverFlags.DRVO_LEGACY_DRIVER).isZero();

    assertThat(f.unload("UnlWdm")).isEqualTo(STATUS_INVALID_DEVICE_REQUEST);

    assertThat(f.observed("UnlWdm", ScriptedNames.UNLOADS)).isZero();
    assertThat(f.driverState("\\Driver\\UnlWdm").flags() & DriverFlags.DRVO_UNLOAD_INVOKED).isZero();
    assertThat(f.deviceState("\\Device\\UnlWdm").extensionFlags()).isZero();
    f.close(f.open(f.admin, "\\Device\\UnlWdm"));
  }

  // B18: the service key is gone -----------------------------------------------------------------

  @Test
  void B18_aServiceKeyDeletedAfterLoadFailsTheUnloadAndTheDriverStaysLoaded() {
    f.installScripted("UnlKeyGone", device("\\Device\\UnlKeyGone"));
    assertThat(f.load("UnlKeyGone")).isEqualTo(STATUS_SUCCESS);
    String key = UnloadFixture.SERVICES + "UnlKeyGone";
    f.deleteKey(key + "\\" + ScriptedNames.OBSERVED);
    f.deleteKey(key + "\\" + ScriptedNames.PARAMETERS);
    f.deleteKey(key);

    // The key is opened first (B14), so its absence is the registry's status.
    assertThat(f.unload("UnlKeyGone")).isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);

    assertThat(f.driverResolves("\\Driver\\UnlKeyGone")).isTrue();
    assertThat(f.driverState("\\Driver\\UnlKeyGone").flags() & DriverFlags.DRVO_UNLOAD_INVOKED).isZero();
    assertThat(f.deviceState("\\Device\\UnlKeyGone").extensionFlags()).isZero();
    assertThat(f.hasObserved("UnlKeyGone", ScriptedNames.UNLOADS)).isFalse();
    f.close(f.open(f.admin, "\\Device\\UnlKeyGone"));
    assertThat(f.imageLoaded("UnlKeyGone.jar")).isTrue();

    f.installService("UnlKeyGone", "UnlKeyGone.jar", 1, null);
    assertThat(f.unload("UnlKeyGone")).isEqualTo(STATUS_SUCCESS);
    assertThat(f.observed("UnlKeyGone", ScriptedNames.UNLOADS)).isEqualTo(1);
    assertThat(f.driverResolves("\\Driver\\UnlKeyGone")).isFalse();
  }

  // B19: nothing open, so DriverUnload runs at once -----------------------------------------------

  @Test
  void B19_anUnloadWithNothingOpenCallsDriverUnloadOnceOnASystemWorker() {
    f.installScripted("UnlBasic", device("\\Device\\UnlBasic"));
    assertThat(f.load("UnlBasic")).isEqualTo(STATUS_SUCCESS);
    assertThat(f.imageLoaded("UnlBasic.jar")).isTrue();

    assertThat(f.unload("UnlBasic")).isEqualTo(STATUS_SUCCESS);

    // Done before the call returned: no waiting.
    assertThat(f.observed("UnlBasic", ScriptedNames.UNLOADS)).isEqualTo(1);
    assertThat(f.observedString("UnlBasic", ScriptedNames.UNLOAD_THREAD))
        .startsWith("ntio worker")
        .isNotEqualTo(Thread.currentThread().getName());
    assertThat(f.driverResolves("\\Driver\\UnlBasic")).isFalse();
    assertThat(f.deviceResolves("\\Device\\UnlBasic")).isFalse();
    UnloadFixture.await("UnlBasic.jar to be unmapped", () -> !f.imageLoaded("UnlBasic.jar"));
    assertThat(f.unload("UnlBasic")).isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
    f.assertReloadsAndUnloadsAgain("UnlBasic", "\\Driver\\UnlBasic", 1);
  }

  @Test
  void B19_T15_driverFlagsAcrossTheLifecycle() {
    f.installScripted("UnlFlags", device("\\Device\\UnlFlags"));
    assertThat(f.load("UnlFlags")).isEqualTo(STATUS_SUCCESS);
    f.close(f.open(f.admin, "\\Device\\UnlFlags"));

    assertThat(f.unload("UnlFlags")).isEqualTo(STATUS_SUCCESS);

    assertThat(f.observed("UnlFlags", ScriptedNames.DISPATCH_FLAGS))
        .isEqualTo(DriverFlags.DRVO_LEGACY_DRIVER | DriverFlags.DRVO_INITIALIZED);
    assertThat(f.observed("UnlFlags", ScriptedNames.UNLOAD_FLAGS))
        .isEqualTo(DriverFlags.DRVO_LEGACY_DRIVER | DriverFlags.DRVO_INITIALIZED | DriverFlags.DRVO_UNLOAD_INVOKED);
    // The I/O manager deletes no device before DriverUnload.
    assertThat(f.observed("UnlFlags", ScriptedNames.UNLOAD_DEVICE_COUNT)).isEqualTo(1);
  }

  @Test
  void B19_everyDeviceIsMarkedUnloadPendingEvenWhenTheUnloadIsImmediate() {
    f.installScripted("UnlMarked", device("\\Device\\UnlMarked"),
        RegValue.string(ScriptedNames.SECOND_DEVICE, "\\Device\\UnlMarked2"));
    assertThat(f.load("UnlMarked")).isEqualTo(STATUS_SUCCESS);

    assertThat(f.unload("UnlMarked")).isEqualTo(STATUS_SUCCESS);

    assertThat(f.observed("UnlMarked", ScriptedNames.UNLOAD_DEVICE_COUNT)).isEqualTo(2);
    assertThat(f.observed("UnlMarked", ScriptedNames.UNLOAD_ALL_MARKED)).isEqualTo(1);
    assertThat(f.observed("UnlMarked", ScriptedNames.UNLOAD_MAIN_EXTENSION_FLAGS))
        .isEqualTo(DeviceFlags.DOE_UNLOAD_PENDING);
    assertThat(f.deviceResolves("\\Device\\UnlMarked2")).isFalse();
  }

  // T36: the Wine suite detaches before it stops the service --------------------------------------

  @Test
  void T36_aStackedDriverThatDetachedItsOwnDevicesUnloadsAtOnce() {
    f.installScripted("UnlStack", device("\\Device\\UnlStack"),
        RegValue.string(ScriptedNames.UPPER_DEVICE, "\\Device\\UnlStackUpper"),
        RegValue.string(ScriptedNames.SYMBOLIC_LINK, "\\??\\UnlStack"));
    assertThat(f.load("UnlStack")).isEqualTo(STATUS_SUCCESS);
    assertThat(f.deviceState("\\Device\\UnlStack").attachedDevice()).isEqualTo("\\Device\\UnlStackUpper");
    Handle handle = f.open(f.admin, "\\??\\UnlStack");
    assertThat(f.control(f.admin, handle, ScriptedNames.IOCTL_DETACH_UPPER)).isEqualTo(STATUS_SUCCESS);
    f.close(handle);
    assertThat(f.deviceState("\\Device\\UnlStack").attachedDevice()).isEmpty();

    assertThat(f.unload("UnlStack")).isEqualTo(STATUS_SUCCESS);

    assertThat(f.observed("UnlStack", ScriptedNames.UNLOADS)).isEqualTo(1);
    assertThat(f.observed("UnlStack", ScriptedNames.UNLOAD_DEVICE_COUNT)).isEqualTo(2);
    assertThat(f.linkResolves("\\??\\UnlStack")).isFalse();
    assertThat(f.deviceResolves("\\Device\\UnlStack")).isFalse();
    assertThat(f.deviceResolves("\\Device\\UnlStackUpper")).isFalse();
    assertThat(f.driverResolves("\\Driver\\UnlStack")).isFalse();
    UnloadFixture.await("UnlStack.jar to be unmapped", () -> !f.imageLoaded("UnlStack.jar"));
    f.assertNoViolations("UnlStack");
  }
}
