package ntio.host.cli;

import static ntio.host.cli.CliHarness.embedded;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import ntio.api.DeviceInstall;
import ntio.api.LuidAndAttributes;
import ntio.api.Privilege;
import ntio.ddk.NtStatus;
import ntio.host.cli.CliHarness.Result;
import ntio.host.cli.CliHarness.RunningKernel;
import ntio.kernel.LocalNt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ntio toaster plug|unplug|eject SERIAL}, the WDK's {@code enum.exe}: the control codes it
 * sends, its serial numbers, and what it says when there is no bus to send them to.
 */
class ToasterCommandTest {

  @TempDir
  Path state;

  @Test
  void theControlCodesAreTheBusEnumeratorsOfFileDeviceBusExtenderWithReadAccess() {
    assertThat(ToasterCommand.IOCTL_BUSENUM_PLUGIN_HARDWARE).isEqualTo(0x002A4000);
    assertThat(ToasterCommand.IOCTL_BUSENUM_UNPLUG_HARDWARE).isEqualTo(0x002A4004);
    assertThat(ToasterCommand.IOCTL_BUSENUM_EJECT_HARDWARE).isEqualTo(0x002A4008);
  }

  @Test
  void aSerialNumberIsAnUnsigned32BitDecimalNumber() {
    assertThat(ToasterCommand.parseSerial("1")).isEqualTo(1);
    assertThat(ToasterCommand.parseSerial("4294967295")).isEqualTo(0xFFFF_FFFFL);
    assertThat(ToasterCommand.parseSerial("4294967296")).isEqualTo(-1);
    assertThat(ToasterCommand.parseSerial("-1")).isEqualTo(-1);
    assertThat(ToasterCommand.parseSerial("0x10")).isEqualTo(-1);
    assertThat(ToasterCommand.parseSerial("")).isEqualTo(-1);
  }

  @Test
  void plugWithoutABusSaysHowToInstallItAndExits1() {
    Result r = embedded(state, "toaster", "plug", "1");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.errLines()).containsExactly(
        "ntio: no toaster bus: \\Device\\ToasterBus does not exist (STATUS_OBJECT_NAME_NOT_FOUND (0xC0000034));"
            + " install it with: ntio devcon install ToasterBus Root\\ToasterBus");
  }

  @Test
  void plugOfSerialNumberZeroIsAUsageErrorButUnplugOfZeroMeansEveryToaster() {
    Result plug = embedded(state, "toaster", "plug", "0");
    Result unplug = embedded(state, "toaster", "unplug", "0");

    assertThat(plug.exitCode()).isEqualTo(2);
    assertThat(plug.errLines()).containsExactly(
        "ntio: toaster plug in: SERIAL is a number from 1 to 4294967295, not '0'");
    assertThat(unplug.exitCode()).as("0 is accepted; the bus is what is missing").isEqualTo(1);
    assertThat(unplug.err()).contains("no toaster bus");
  }

  @Test
  void aSerialNumberThatIsNotANumberIsAUsageError() {
    Result r = embedded(state, "toaster", "eject", "two");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.errLines()).containsExactly(
        "ntio: toaster eject: SERIAL is a number from 0 to 4294967295, not 'two'");
  }

  @Test
  void onAnInstalledBusEachCommandPrintsOneLineAndAFailureItsStatus() {
    try (RunningKernel kernel = new RunningKernel(state)) {
      assertThat(kernel.admin("sc", "create", "ToasterBus", "--image", CliHarness.sampleImage("ToasterBus").toString())
          .exitCode()).isZero();
      try (LocalNt devcon = kernel.client()) {
        devcon.adjustPrivileges(List.of(LuidAndAttributes.enable(Privilege.SE_LOAD_DRIVER_PRIVILEGE)));
        assertThat(devcon.installDevice(new DeviceInstall("Root\\ToasterBus", "ToasterBus", "", List.of(), List.of()))
            .status()).isEqualTo(NtStatus.STATUS_SUCCESS);
      }

      assertThat(kernel.admin("toaster", "plug", "1").outLines()).containsExactly("Toaster 1 plugged in.");
      Result again = kernel.admin("toaster", "plug", "1");
      assertThat(again.exitCode()).isEqualTo(1);
      assertThat(again.errLines()).containsExactly(
          "ntio: cannot plug in toaster 1: STATUS_INVALID_PARAMETER (0xC000000D)");
      Result missing = kernel.admin("toaster", "unplug", "2");
      assertThat(missing.exitCode()).isEqualTo(1);
      assertThat(missing.errLines()).containsExactly(
          "ntio: cannot unplug toaster 2: STATUS_NO_SUCH_DEVICE (0xC000000E)");
      assertThat(kernel.admin("toaster", "plug", "2").exitCode()).isZero();
      assertThat(kernel.admin("toaster", "eject", "2").outLines()).containsExactly("Toaster 2 ejected.");
      assertThat(kernel.admin("toaster", "unplug", "0").outLines()).containsExactly("Every toaster unplugged.");
      Result none = kernel.admin("toaster", "unplug", "0");
      assertThat(none.exitCode()).isEqualTo(1);
      assertThat(none.errLines()).containsExactly(
          "ntio: cannot unplug every toaster: STATUS_NO_SUCH_DEVICE (0xC000000E)");
    }
  }
}
