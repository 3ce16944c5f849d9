package ntio.kernel.io;

import static ntio.ddk.DriverFlags.DRVO_INITIALIZED;
import static ntio.ddk.DriverFlags.DRVO_LEGACY_DRIVER;
import static ntio.ddk.DriverFlags.DRVO_UNLOAD_INVOKED;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import ntio.ddk.DriverObject;
import ntio.ddk.NtStatus;
import ntio.kernel.objects.KernelObject;
import ntio.kernel.objects.ObjectManager.Referenced;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Legacy and WDM ({@code Ntio-Wdm: true}) images (B40): the legacy flag, NtUnloadDriver refusing a
 * PnP driver (B17), and the automatic unload of a PnP driver whose last device is deleted (B26).
 */
@Timeout(30)
class WdmDriversTest {

  @TempDir Path state;

  private IoLab lab;

  @BeforeEach
  void boot() {
    lab = IoLab.boot(state);
  }

  @AfterEach
  void shutDown() {
    lab.close();
  }

  private int driverFlags(String service) {
    Referenced<KernelObject> driver = lab.kernel.objects().referenceByName("\\Driver\\" + service,
        lab.kernel.io().driverType());
    assertThat(driver.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    try {
      return ((DriverObject) driver.object()).flags();
    } finally {
      driver.object().dereference();
    }
  }

  private boolean imageMapped(String file) {
    return lab.kernel.io().loader().loadedImages().stream().anyMatch(image -> image.ntPath().endsWith(file));
  }

  @Test
  void B40_aWdmImageIsNotALegacyDriverAndALegacyImageIs() {
    lab.lab("LabW").wdm().entry("create d \\Device\\LabWd").load();
    lab.lab("LabA").entry("create d \\Device\\LabAd").load();

    assertThat(lab.observed("LabW").dword("Entry.Flags")).isZero();
    assertThat(driverFlags("LabW")).isEqualTo(DRVO_INITIALIZED);
    assertThat(lab.observed("LabA").dword("Entry.Flags")).isEqualTo(DRVO_LEGACY_DRIVER);
    assertThat(driverFlags("LabA")).isEqualTo(DRVO_LEGACY_DRIVER | DRVO_INITIALIZED);
  }

  @Test
  void B40_B17_ntUnloadDriverRefusesAWdmDriverAndChangesNothing() {
    lab.lab("LabW").wdm().entry("create d \\Device\\LabWd").load();

    assertThat(lab.unload("LabW")).isEqualTo(NtStatus.STATUS_INVALID_DEVICE_REQUEST);

    assertThat(lab.driverExists("LabW")).isTrue();
    assertThat(driverFlags("LabW")).isEqualTo(DRVO_INITIALIZED);
    int extensionFlags = lab.device("\\Device\\LabWd", d -> d.deviceObjectExtension().extensionFlags());
    assertThat(extensionFlags).as("no device marked unload-pending").isZero();
    assertThat(lab.observed("LabW").has("Unload.Count")).isFalse();
    assertThat(lab.open(lab.admin, "\\Device\\LabWd", IoLab.READ_WRITE).status()).isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  @Test
  void B40_B26_aWdmDriverUnloadsByItselfWhenItsLastDeviceIsFinallyDeleted() {
    lab.lab("LabW").wdm().entry("create ctl \\Device\\LabWCtl", "create d \\Device\\LabWd").load();
    IoLab.Open ctl = lab.open("\\Device\\LabWCtl", "LabW");

    ctl.run("delete d", "driver oneLeft", "delete ctl", "driver noneLinkedYet");

    IoLab.Observed seen = lab.observed("LabW");
    assertThat(seen.string("oneLeft.Devices")).isEqualTo("ctl");
    assertThat(seen.dword("oneLeft.Flags")).isEqualTo(DRVO_INITIALIZED);
    assertThat(seen.string("noneLinkedYet.Devices")).as("ctl is open").isEqualTo("ctl");
    assertThat(seen.dword("noneLinkedYet.Flags")).isEqualTo(DRVO_INITIALIZED);

    ctl.close();

    lab.awaitUnloaded("LabW");
    assertThat(seen.dword("Unload.Count")).isEqualTo(1);
    assertThat(seen.dword("Unload.Flags")).isEqualTo(DRVO_INITIALIZED | DRVO_UNLOAD_INVOKED);
    assertThat(seen.string("Unload.DeviceObject")).isEqualTo("null");
    IoLab.await("LabW.jar to be unmapped", () -> !imageMapped("LabW.jar"));
    assertThat(lab.load("LabW")).isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  @Test
  void B40_B26_B32_aWdmDriverWhoseLastDeviceGoesAtAnotherDriversDetachUnloadsByItself() {
    lab.lab("LabW").wdm().entry("create ctl \\Device\\LabWCtl", "create l \\Device\\LabWl").load();
    lab.lab("LabM").entry("create ctl \\Device\\LabMCtl", "create m -", "passdown m").load();
    IoLab.Open own = lab.open("\\Device\\LabWCtl", "LabW");
    IoLab.Open filter = lab.open("\\Device\\LabMCtl", "LabM");
    filter.run("attachname m \\Device\\LabWl r", "ref wl \\Device\\LabWl");

    own.run("delete l", "delete ctl", "driver deleted");
    own.close();

    IoLab.Observed seen = lab.observed("LabW");
    assertThat(seen.string("deleted.Devices")).isEqualTo("l,ctl");
    assertThat(driverFlags("LabW")).as("l is still linked: m is on top of it").isEqualTo(DRVO_INITIALIZED);
    assertThat(seen.has("Unload.Count")).isFalse();

    filter.run("detach wl", "deref wl");

    lab.awaitUnloaded("LabW");
    assertThat(seen.dword("Unload.Count")).isEqualTo(1);
    assertThat(seen.string("Unload.DeviceObject")).isEqualTo("null");
    filter.close();
  }

  @Test
  void B40_B26_aLegacyDriverStaysLoadedWhenItsLastDeviceIsDeleted() {
    lab.lab("LabA").entry("create ctl \\Device\\LabCtl").load();
    IoLab.Open ctl = lab.open("\\Device\\LabCtl", "LabA");
    ctl.run("delete ctl");

    ctl.close();

    assertThat(lab.deviceExists("\\Device\\LabCtl")).isFalse();
    assertThat(driverFlags("LabA")).isEqualTo(DRVO_LEGACY_DRIVER | DRVO_INITIALIZED);
    assertThat(lab.observed("LabA").has("Unload.Count")).isFalse();
    // It unloads when asked.
    assertThat(lab.unload("LabA")).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(lab.observed("LabA").dword("Unload.Count")).isEqualTo(1);
    assertThat(lab.driverExists("LabA")).isFalse();
  }

  @Test
  void B40_B26_aWdmDriverWithoutDriverUnloadStaysLoadedWhenItsLastDeviceIsDeleted() {
    lab.lab("LabW").wdm().withoutUnload().entry("create ctl \\Device\\LabWCtl").load();
    IoLab.Open ctl = lab.open("\\Device\\LabWCtl", "LabW");
    ctl.run("delete ctl");

    ctl.close();

    assertThat(lab.deviceExists("\\Device\\LabWCtl")).isFalse();
    assertThat(lab.driverExists("LabW")).isTrue();
    assertThat(driverFlags("LabW")).isEqualTo(DRVO_INITIALIZED);
  }

  @Test
  void B40_B26_aWdmDriverDeletingItsLastDeviceInsideDriverEntryDoesNotUnload() {
    lab.lab("LabW").wdm().entry("create d \\Device\\LabWd", "delete d", "driver deleted").load();

    assertThat(lab.observed("LabW").string("deleted.DeviceObject")).isEqualTo("null");
    assertThat(lab.driverExists("LabW")).isTrue();
    assertThat(driverFlags("LabW")).isEqualTo(DRVO_INITIALIZED);
    assertThat(lab.observed("LabW").has("Unload.Count")).isFalse();
    assertThat(lab.deviceExists("\\Device\\LabWd")).isFalse();
  }
}
