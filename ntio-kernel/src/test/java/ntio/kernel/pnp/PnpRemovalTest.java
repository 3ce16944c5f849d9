package ntio.kernel.pnp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import ntio.api.DeviceInstall;
import ntio.api.PnpVetoResult;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.RegValue;
import ntio.kernel.LocalNt;
import ntio.kernel.pnp.drivers.PnpTestDriver;
import org.junit.jupiter.api.Test;

/**
 * Taking devices down: query-remove vetoed by an open handle and by a driver, remove with the
 * PnP unload of a driver whose last device went (B26, T38), disable, enable, restart, surprise
 * removal of bus children after IoInvalidateDeviceRelations, and the shutdown order.
 */
class PnpRemovalTest extends PnpLabTest {

  @Test
  void installDevice_writesTheRootInstanceKeyAndBringsTheDeviceUp() {
    lab.driver("PnpFn");

    String path = lab.install("Root\\PnpThing", "PnpFn", List.of(), List.of());

    assertThat(path).isEqualTo("ROOT\\PNPTHING\\0000");
    assertThat(lab.existing(path).state()).isEqualTo("DeviceNodeStarted");
    assertThat(lab.existing(path).hardwareIds()).containsExactly("Root\\PnpThing");
    assertThat(lab.keyExists(PnpLab.ENUM_ROOT + "PNPTHING\\0000")).isTrue();
    assertThat(lab.install("Root\\PnpThing", "PnpFn", List.of(), List.of())).isEqualTo("ROOT\\PNPTHING\\0001");
  }

  @Test
  void installDevice_needsSeLoadDriverPrivilege() {
    lab.driver("PnpFn");
    LocalNt user = LocalNt.standardUser(lab.kernel, "user", 1001);

    assertThat(user.installDevice(new DeviceInstall("Root\\PnpThing", "PnpFn", "", List.of(), List.of())).status())
        .isEqualTo(NtStatus.STATUS_PRIVILEGE_NOT_HELD);
    assertThat(user.queryDeviceTree().status()).isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  @Test
  void B26_T38_removingTheLastDeviceUnloadsThePnpDriverAndItsImage() {
    lab.driver("PnpFn");
    String path = lab.install("Root\\PnpThing", "PnpFn", List.of(), List.of());

    PnpVetoResult removed = lab.admin.removeDevice(path);

    assertThat(removed.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(removed.vetoed()).isFalse();
    assertThat(lab.node(path)).isEmpty();
    assertThat(lab.keyExists(PnpLab.ENUM_ROOT + "PNPTHING\\0000")).as("uninstalled").isFalse();
    PnpLab.await("PnpFn unloaded", () -> !lab.driverLoaded("PnpFn"));
    assertThat(lab.log()).containsExactly("PnpFn:DriverEntry", "PnpFn:AddDevice", "PnpFn:START",
        "PnpFn:QUERY_REMOVE", "PnpFn:REMOVE", "PnpFn:Unload");
    PnpLab.await("PnpFn.jar unmapped", () -> !lab.imageMapped("PnpFn"));
  }

  @Test
  void B17_ntUnloadDriverStillRefusesAPnpDriverWithDevices() {
    lab.driver("PnpFn");
    lab.install("Root\\PnpThing", "PnpFn", List.of(), List.of());

    assertThat(lab.admin.unloadDriver(ntio.ddk.UnicodeString.of(PnpLab.SERVICES + "PnpFn")))
        .isEqualTo(NtStatus.STATUS_INVALID_DEVICE_REQUEST);
    assertThat(lab.driverLoaded("PnpFn")).isTrue();
  }

  @Test
  void queryRemoveIsVetoedByAnOpenHandleAndTheDeviceStaysStarted() {
    lab.driver("PnpFn");
    String path = lab.install("Root\\PnpThing", "PnpFn", List.of(), List.of());
    Handle handle = lab.open(lab.deviceOf(path, "FDO"));

    PnpVetoResult vetoed = lab.admin.removeDevice(path);

    assertThat(vetoed.status()).isEqualTo(NtStatus.STATUS_PLUGPLAY_QUERY_VETOED);
    assertThat(vetoed.vetoType()).isEqualTo(VetoTypes.PNP_VetoOutstandingOpen);
    assertThat(vetoed.vetoName()).isEqualTo(path);
    assertThat(vetoed.vetoReason()).contains("is open");
    assertThat(lab.existing(path).state()).isEqualTo("DeviceNodeStarted");
    assertThat(lab.log()).doesNotContain("PnpFn:QUERY_REMOVE", "PnpFn:REMOVE");

    lab.admin.close(handle);
    assertThat(lab.admin.removeDevice(path).status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    PnpLab.await("PnpFn unloaded", () -> !lab.driverLoaded("PnpFn"));
  }

  @Test
  void queryRemoveFailedByADriverIsVetoedAndCancelRemoveIsSent() {
    lab.driver("PnpFn", "VetoQueryRemove");
    String path = lab.install("Root\\PnpThing", "PnpFn", List.of(), List.of());

    PnpVetoResult vetoed = lab.admin.removeDevice(path);

    assertThat(vetoed.vetoType()).isEqualTo(VetoTypes.PNP_VetoDevice);
    assertThat(vetoed.vetoReason()).contains("\\Driver\\PnpFn").contains("STATUS_DEVICE_BUSY");
    assertThat(lab.existing(path).state()).isEqualTo("DeviceNodeStarted");
    assertThat(lab.log()).endsWith("PnpFn:QUERY_REMOVE", "PnpFn:CANCEL_REMOVE");
    // A handle can be opened again after the cancel.
    lab.admin.close(lab.open(lab.deviceOf(path, "FDO")));
  }

  @Test
  void disableRemovesTheStackAndEnableBringsItBack() {
    lab.driver("PnpFn");
    String path = lab.install("Root\\PnpThing", "PnpFn", List.of(), List.of());

    assertThat(lab.admin.disableDevice(path).status()).isEqualTo(NtStatus.STATUS_SUCCESS);

    assertThat(lab.existing(path).problem()).isEqualTo(ProblemCodes.CM_PROB_DISABLED);
    assertThat(lab.existing(path).disabled()).isTrue();
    assertThat(lab.existing(path).state()).isEqualTo("DeviceNodeRemoved");
    assertThat(lab.keyExists(PnpLab.ENUM_ROOT + "PNPTHING\\0000")).as("the key stays").isTrue();
    PnpLab.await("PnpFn unloaded", () -> !lab.driverLoaded("PnpFn"));

    assertThat(lab.admin.enableDevice(path)).isEqualTo(NtStatus.STATUS_SUCCESS);

    assertThat(lab.existing(path).state()).isEqualTo("DeviceNodeStarted");
    assertThat(lab.existing(path).problem()).isZero();
    assertThat(lab.existing(path).disabled()).isFalse();
    assertThat(lab.log().stream().filter(e -> e.equals("PnpFn:AddDevice"))).hasSize(2);
  }

  @Test
  void aDisabledDeviceStaysDownAtTheNextEnumeration() {
    lab.driver("PnpFn");
    lab.set(PnpLab.ENUM_ROOT + "PNPTEST\\0000", RegValue.string("Service", "PnpFn"));
    lab.set(PnpLab.ENUM_ROOT + "PNPTEST\\0000", RegValue.dword("ConfigFlags", 1));

    lab.kernel.pnp().enumerateRoot();

    assertThat(lab.existing("ROOT\\PNPTEST\\0000").problem()).isEqualTo(ProblemCodes.CM_PROB_DISABLED);
    assertThat(lab.log()).isEmpty();
  }

  @Test
  void restartRemovesAndBringsTheStackUpAgain() {
    lab.driver("PnpFn");
    String path = lab.install("Root\\PnpThing", "PnpFn", List.of(), List.of());

    assertThat(lab.admin.restartDevice(path).status()).isEqualTo(NtStatus.STATUS_SUCCESS);

    assertThat(lab.existing(path).state()).isEqualTo("DeviceNodeStarted");
    assertThat(lab.log()).containsSubsequence("PnpFn:START", "PnpFn:QUERY_REMOVE", "PnpFn:REMOVE",
        "PnpFn:AddDevice", "PnpFn:START");
  }

  /** A root bus device (PnpBus) and the driver database entry naming PnpChild for its children. */
  private String installBusAndChildDriver() {
    lab.driver("PnpBus", "Bus");
    lab.driver("PnpChild");
    lab.set("\\Registry\\Machine\\System\\DriverDatabase\\DeviceIds\\PnpTest\\Child",
        RegValue.string("Service", "PnpChild"));
    return lab.install("Root\\PnpBus", "PnpBus", List.of(), List.of());
  }

  @Test
  void busEnumerationAddsAndRemovesChildrenAfterIoInvalidateDeviceRelations() {
    String bus = installBusAndChildDriver();
    Handle busHandle = lab.open(lab.deviceOf(bus, "FDO"));

    assertThat(lab.ioctl(busHandle, PnpTestDriver.IOCTL_PLUG, 1)).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(lab.ioctl(busHandle, PnpTestDriver.IOCTL_PLUG, 2)).isEqualTo(NtStatus.STATUS_SUCCESS);

    assertThat(lab.existing(bus).children()).containsExactly("PNPTEST\\CHILD\\1", "PNPTEST\\CHILD\\2");
    assertThat(lab.existing("PNPTEST\\CHILD\\1").state()).isEqualTo("DeviceNodeStarted");
    assertThat(lab.existing("PNPTEST\\CHILD\\1").service()).isEqualTo("PnpChild");
    assertThat(lab.keyExists("\\Registry\\Machine\\System\\CurrentControlSet\\Enum\\PNPTEST\\CHILD\\2")).isTrue();
    Handle child2 = lab.open(lab.deviceOf("PNPTEST\\CHILD\\2", "FDO"));

    // Unplugged with no handle open: surprise removal, then remove; the bus deletes the PDO.
    assertThat(lab.ioctl(busHandle, PnpTestDriver.IOCTL_UNPLUG, 1)).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(lab.node("PNPTEST\\CHILD\\1")).isEmpty();
    assertThat(lab.log()).containsSubsequence("PnpChild:SURPRISE_REMOVAL", "PnpChild:REMOVE", "PnpBus:DeletePdo1");
    assertThat(lab.driverLoaded("PnpChild")).as("child 2 still uses it").isTrue();

    // Unplugged with a handle open: removal waits for the close.
    assertThat(lab.ioctl(busHandle, PnpTestDriver.IOCTL_UNPLUG, 2)).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(lab.existing("PNPTEST\\CHILD\\2").state()).isEqualTo("DeviceNodeRemovePendingCloses");
    String child2Fdo = lab.deviceOf("PNPTEST\\CHILD\\2", "FDO");
    assertThat(lab.admin.openFile(PnpLab.READ_WRITE, ObjectAttributes.of(child2Fdo), 0, 0).status())
        .as("DOE_REMOVE_PENDING refuses new opens").isEqualTo(NtStatus.STATUS_NO_SUCH_DEVICE);
    lab.admin.close(child2);
    PnpLab.await("child 2 removed", () -> lab.node("PNPTEST\\CHILD\\2").isEmpty());
    PnpLab.await("PnpChild unloaded at its last device's removal", () -> !lab.driverLoaded("PnpChild"));
    assertThat(lab.log()).endsWith("PnpChild:Unload");
    lab.admin.close(busHandle);
  }

  @Test
  void aBusChildWithNoDriverInTheDatabaseIsFailedInstall() {
    lab.driver("PnpBus", "Bus");
    String bus = lab.install("Root\\PnpBus", "PnpBus", List.of(), List.of());
    Handle busHandle = lab.open(lab.deviceOf(bus, "FDO"));

    lab.ioctl(busHandle, PnpTestDriver.IOCTL_PLUG, 7);

    assertThat(lab.existing("PNPTEST\\CHILD\\7").problem()).isEqualTo(ProblemCodes.CM_PROB_FAILED_INSTALL);
    lab.admin.close(busHandle);
  }

  @Test
  void removingABusRemovesItsChildrenFirst() {
    String bus = installBusAndChildDriver();
    Handle busHandle = lab.open(lab.deviceOf(bus, "FDO"));
    lab.ioctl(busHandle, PnpTestDriver.IOCTL_PLUG, 1);
    lab.admin.close(busHandle);

    assertThat(lab.admin.removeDevice(bus).status()).isEqualTo(NtStatus.STATUS_SUCCESS);

    assertThat(lab.node("PNPTEST\\CHILD\\1")).isEmpty();
    assertThat(lab.log()).containsSubsequence("PnpChild:QUERY_REMOVE", "PnpBus:QUERY_REMOVE",
        "PnpChild:REMOVE", "PnpBus:REMOVE", "PnpBus:DeletePdo1");
    PnpLab.await("both unloaded", () -> !lab.driverLoaded("PnpChild") && !lab.driverLoaded("PnpBus"));
  }

  @Test
  void shutdownRemovesEveryDeviceBeforeAnyDriverIsUnloaded() {
    lab.driver("PnpFn");
    lab.driver("PnpUp");
    lab.install("Root\\PnpThing", "PnpFn", List.of(), List.of("PnpUp"));
    lab.install("Root\\PnpThing", "PnpFn", List.of(), List.of());

    // What a host does first at shutdown (SystemDrivers.removePnpDevices), and the kernel too.
    lab.kernel.pnp().removeAllDevices();

    // Finished when it returns, not queued: the host's NtUnloadDriver of each driver still listed
    // comes next and must not find one of these unloads in progress (STATUS_DELETE_PENDING).
    assertThat(lab.driverLoaded("PnpFn")).isFalse();
    assertThat(lab.driverLoaded("PnpUp")).isFalse();
    List<String> log = lab.log();
    int lastRemove = Math.max(log.lastIndexOf("PnpFn:REMOVE"), log.lastIndexOf("PnpUp:REMOVE"));
    int firstUnload = Math.min(log.indexOf("PnpFn:Unload"), log.indexOf("PnpUp:Unload"));
    assertThat(log).contains("PnpFn:Unload", "PnpUp:Unload");
    assertThat(lastRemove).isLessThan(firstUnload);
  }
}
