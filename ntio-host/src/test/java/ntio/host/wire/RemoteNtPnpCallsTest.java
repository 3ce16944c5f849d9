package ntio.host.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import ntio.api.DeviceInstall;
import ntio.api.DeviceInstallResult;
import ntio.api.PnpVetoResult;
import ntio.ddk.NtStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Plug and Play calls over the socket (protocol version 6): a client of the daemon is answered
 * what an in-process client of the same kernel is; a request past the wire's bounds is answered
 * with its precise status, and a malformed one with {@code STATUS_INVALID_PARAMETER}, neither
 * reaching the kernel, and the connection goes on.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RemoteNtPnpCallsTest {

  @TempDir Path directory;
  private Parity parity;

  @BeforeEach
  void start() throws IOException {
    parity = Parity.start(directory);
  }

  @AfterEach
  void stop() {
    parity.close();
  }

  @Test
  void theDeviceTreeOverTheSocketIsTheInProcessOne() {
    assertThat(parity.remote.queryDeviceTree()).isEqualTo(parity.local.queryDeviceTree());
  }

  @Test
  void anInstancePathLongerThanMaxDeviceIdLenIsStatusNameTooLongForEveryCall() {
    String tooLong = "ROOT\\" + "X".repeat(PnpCodec.MAX_DEVICE_ID_CHARS);

    assertThat(parity.remote.removeDevice(tooLong)).isEqualTo(PnpVetoResult.of(NtStatus.STATUS_NAME_TOO_LONG));
    assertThat(parity.remote.disableDevice(tooLong)).isEqualTo(PnpVetoResult.of(NtStatus.STATUS_NAME_TOO_LONG));
    assertThat(parity.remote.restartDevice(tooLong)).isEqualTo(PnpVetoResult.of(NtStatus.STATUS_NAME_TOO_LONG));
    assertThat(parity.remote.enableDevice(tooLong)).isEqualTo(NtStatus.STATUS_NAME_TOO_LONG);
  }

  @Test
  void anInstallPastItsBoundsIsRefusedWithItsStatusAndNothingIsInstalled() {
    List<String> tooMany = Collections.nCopies(PnpCodec.MAX_FILTERS + 1, "Filter");
    var before = parity.local.queryDeviceTree();

    assertThat(parity.remote.installDevice(new DeviceInstall("Root\\Thing", "Thing", "", tooMany, List.of())))
        .isEqualTo(DeviceInstallResult.failed(NtStatus.STATUS_INVALID_PARAMETER));
    assertThat(parity.remote.installDevice(new DeviceInstall("Root\\Thing", "Thing",
        "C".repeat(PnpCodec.MAX_CLASS_NAME_CHARS + 1), List.of(), List.of())))
        .isEqualTo(DeviceInstallResult.failed(NtStatus.STATUS_NAME_TOO_LONG));
    assertThat(parity.local.queryDeviceTree()).isEqualTo(before);
  }

  @Test
  void theCallersTokenTravelsAStandardUserAndAnAdministratorWithoutThePrivilegeEnabledAreRefused()
      throws IOException {
    assertThat(parity.remote.installDevice(new DeviceInstall("Root\\Thing", "Thing", "", List.of(), List.of())))
        .as("an administrator's SeLoadDriverPrivilege is present but not enabled")
        .isEqualTo(DeviceInstallResult.failed(NtStatus.STATUS_PRIVILEGE_NOT_HELD));
    try (TestDaemon standard = TestDaemon.start(directory.resolve("standard"),
        ntio.host.daemon.ClientPolicy.of(java.util.Set.of(), java.util.Set.of()));
        RemoteNt user = standard.connect()) {
      assertThat(user.removeDevice("ROOT\\THING\\0000"))
          .isEqualTo(PnpVetoResult.of(NtStatus.STATUS_PRIVILEGE_NOT_HELD));
      assertThat(user.enableDevice("ROOT\\THING\\0000")).isEqualTo(NtStatus.STATUS_PRIVILEGE_NOT_HELD);
      assertThat(user.queryDeviceTree().status()).as("looking needs no privilege").isEqualTo(NtStatus.STATUS_SUCCESS);
    }
  }

  @Test
  void aMalformedPnpRequestIsAnErrorInvalidParameterAndTheConnectionGoesOn() {
    PnpVetoResult nullPath = parity.remote.call(Opcode.REMOVE_DEVICE, out -> out.string(null),
        PnpCodec::readVetoResult, PnpVetoResult::of);
    NtStatus shortInstall = parity.remote.call(Opcode.INSTALL_DEVICE, out -> out.string("Root\\Thing"),
        PnpCodec::readInstallResult, DeviceInstallResult::failed).status();

    assertThat(nullPath).isEqualTo(PnpVetoResult.of(NtStatus.STATUS_INVALID_PARAMETER));
    assertThat(shortInstall).isEqualTo(NtStatus.STATUS_INVALID_PARAMETER);
    assertThat(parity.remote.queryDeviceTree()).isEqualTo(parity.local.queryDeviceTree());
  }
}
