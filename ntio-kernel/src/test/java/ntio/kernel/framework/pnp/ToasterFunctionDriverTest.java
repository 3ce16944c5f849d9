package ntio.kernel.framework.pnp;

import static ntio.kernel.framework.pnp.FxPnpLab.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import ntio.api.IoResult;
import ntio.api.OpenResult;
import ntio.api.PnpVetoResult;
import ntio.api.VerifierSettings;
import ntio.ddk.DeviceTypes;
import ntio.ddk.Handle;
import ntio.ddk.IoControlCodes;
import ntio.ddk.NtStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Toaster function driver sample ({@code Toaster.jar}, built by ntio-drivers): a framework PnP
 * driver on root devices {@code Root\Toaster}, installed, served and removed through the kernel's
 * PnP manager, with Driver Verifier (standard flags) and the framework verifier watching.
 */
@Timeout(120)
class ToasterFunctionDriverTest {

  private static final String SERVICE = "Toaster";
  private static final String HARDWARE_ID = "Root\\Toaster";
  /** The sample's IOCTL_TOASTER_GET_STATE, as a client spells it. */
  private static final int IOCTL_TOASTER_GET_STATE = IoControlCodes.ctlCode(DeviceTypes.FILE_DEVICE_UNKNOWN,
      0x800, IoControlCodes.METHOD_BUFFERED, IoControlCodes.FILE_READ_ACCESS);

  @TempDir Path state;
  private FxPnpLab pnp;

  @BeforeEach
  void boot() {
    pnp = new FxPnpLab(state);
    pnp.lab.driverVerifier("Toaster.jar", VerifierSettings.STANDARD_FLAGS);
    pnp.lab.installSample(SERVICE);
    pnp.lab.kmdfVerifier(SERVICE);
  }

  @AfterEach
  void shutDown() {
    pnp.close();
  }

  private Handle open(String name) {
    OpenResult opened = pnp.open(name);
    assertThat(opened.status()).as("open %s", name).isEqualTo(NtStatus.STATUS_SUCCESS);
    return opened.handle();
  }

  /** IOCTL_TOASTER_GET_STATE: instance, D0 entries, bytes kept. */
  private int[] state(Handle toaster) {
    IoResult answer = pnp.lab.nt.ntDeviceIoControlFile(pnp.lab.admin, toaster, IOCTL_TOASTER_GET_STATE,
        new byte[0], 12);
    assertThat(answer.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(answer.information()).isEqualTo(12);
    ByteBuffer bytes = ByteBuffer.wrap(answer.data()).order(ByteOrder.LITTLE_ENDIAN);
    return new int[] {bytes.getInt(), bytes.getInt(), bytes.getInt()};
  }

  @Test
  void aToasterOnARootDeviceServesReadWriteAndIoctlAndItsDriverUnloadsWithTheLastToaster() {
    String device = pnp.installDevice(HARDWARE_ID, SERVICE);
    assertThat(pnp.node(device).state()).isEqualTo("DeviceNodeStarted");
    assertThat(pnp.node(device).stack().get(0).deviceName()).isEqualTo("\\Device\\Toaster0");

    Handle toaster = open("Toaster0");
    IoResult written = pnp.lab.nt.ntWriteFile(pnp.lab.admin, toaster, "rye".getBytes(StandardCharsets.US_ASCII), 0);
    IoResult read = pnp.lab.nt.ntReadFile(pnp.lab.admin, toaster, 64, 0);
    int[] state = state(toaster);
    pnp.lab.nt.ntClose(pnp.lab.admin, toaster);

    assertThat(written.information()).isEqualTo(3);
    assertThat(new String(read.data(), 0, (int) read.information(), StandardCharsets.US_ASCII)).isEqualTo("rye");
    assertThat(state).containsExactly(0, 1, 3);

    assertThat(pnp.devcon.removeDevice(device).status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    eventually("Toaster to unload with its last device", () -> !pnp.lab.driverExists(SERVICE));
    assertThat(pnp.traces(SERVICE)).containsSubsequence("DriverEntry: loaded", "EvtDriverDeviceAdd: Toaster0",
        "EvtDevicePrepareHardware: Toaster0", "EvtDeviceD0Entry: Toaster0 from D3_FINAL",
        "EvtDeviceD0Exit: Toaster0 to D3_FINAL", "EvtDeviceReleaseHardware: Toaster0",
        "WDFDEVICE cleanup: Toaster0", "EvtDriverUnload", "WDFDRIVER cleanup: stopping the trace");
    assertThat(pnp.lab.bugChecks).isEmpty();
    assertThat(pnp.lab.findings("Toaster.jar")).isEmpty();
    assertThat(pnp.lab.livePool("Toaster.jar")).isEmpty();
  }

  @Test
  void twoToastersAreServedApartAndTheDriverStaysUntilTheSecondIsRemoved() {
    String first = pnp.installDevice(HARDWARE_ID, SERVICE);
    String second = pnp.installDevice(HARDWARE_ID, SERVICE);
    Handle zero = open("Toaster0");
    Handle one = open("Toaster1");
    pnp.lab.nt.ntWriteFile(pnp.lab.admin, zero, "white".getBytes(StandardCharsets.US_ASCII), 0);

    assertThat(state(zero)).containsExactly(0, 1, 5);
    assertThat(state(one)).containsExactly(1, 1, 0);
    PnpVetoResult vetoed = pnp.devcon.removeDevice(first);
    assertThat(vetoed.vetoed()).as("an open toaster is not removed").isTrue();
    pnp.lab.nt.ntClose(pnp.lab.admin, zero);
    pnp.lab.nt.ntClose(pnp.lab.admin, one);

    assertThat(pnp.devcon.removeDevice(first).status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(pnp.lab.driverExists(SERVICE)).isTrue();
    Handle again = open("Toaster1");
    assertThat(state(again)).containsExactly(1, 1, 0);
    pnp.lab.nt.ntClose(pnp.lab.admin, again);
    assertThat(pnp.traces(SERVICE)).doesNotContain("EvtDriverUnload");

    assertThat(pnp.devcon.removeDevice(second).status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    eventually("Toaster to unload with the second toaster", () -> !pnp.lab.driverExists(SERVICE));
  }
}
