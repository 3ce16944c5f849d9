package ntio.kernel.pnp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import ntio.api.DevNodeInfo;
import ntio.api.DeviceInstall;
import ntio.api.DeviceStackLayer;
import ntio.api.IoResult;
import ntio.api.OpenResult;
import ntio.api.PnpVetoResult;
import ntio.api.SystemResult;
import ntio.ddk.AccessMask;
import ntio.ddk.Handle;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.PnpMinorFunctions;
import ntio.ddk.RegValue;
import ntio.drivers.toaster.bus.ToasterBusIoctl;
import ntio.drivers.toaster.filter.ToasterFilterIoctl;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.assertj.core.groups.Tuple;

/**
 * The WDM half of the toaster family as built ({@code ToasterBus.jar}, {@code ToasterFilter.jar}),
 * loaded by the real loader for devices the real PnP manager enumerates: the bus as a root device,
 * toasters plugged in and out through its control codes, their stacks built from the driver
 * database with a WDM function driver ({@code PnpTestDriver}) under the filter, and the bus's and
 * the PDOs' side of the removal contract (T39).
 */
class ToasterSamplesTest extends PnpLabTest {

  private static final String BUS_PATH = "ROOT\\TOASTERBUS\\0000";
  private static final String TOASTER = ToasterBusIoctl.TOASTER_HARDWARE_ID;
  private static final String DEVICE_IDS = "\\Registry\\Machine\\System\\DriverDatabase\\DeviceIds\\";

  @BeforeEach
  void installSamples() {
    lab.installer.installSample("ToasterBus");
    lab.installer.installSample("ToasterFilter");
  }

  private static String toaster(int serial) {
    return TOASTER + "\\" + serial;
  }

  /** Installs the bus as devcon does and checks it came up. */
  private void installBus() {
    assertThat(lab.install(ToasterBusIoctl.BUS_HARDWARE_ID, "ToasterBus", List.of(), List.of())).isEqualTo(BUS_PATH);
    assertThat(lab.existing(BUS_PATH).state()).isEqualTo("DeviceNodeStarted");
  }

  /** The driver database entry a toaster's INF would make: the function driver, the upper filter. */
  private void toasterDriverIs(String service, String... upperFilters) {
    lab.set(DEVICE_IDS + TOASTER, RegValue.string("Service", service));
    if (upperFilters.length > 0) {
      lab.set(DEVICE_IDS + TOASTER, RegValue.multiString("UpperFilters", List.of(upperFilters)));
    }
  }

  /** Sends one of the bus's control codes through {@code \DosDevices\ToasterBus}, as ntio toaster does. */
  private NtStatus bus(int code, int serial) {
    OpenResult opened = lab.admin.openFile(AccessMask.FILE_READ_DATA | AccessMask.SYNCHRONIZE,
        ObjectAttributes.of(ToasterBusIoctl.LINK_NAME), 0, 0);
    assertThat(opened.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    try {
      return lab.ioctl(opened.handle(), code, serial);
    } finally {
      lab.admin.close(opened.handle());
    }
  }

  private NtStatus plug(int serial) {
    return bus(ToasterBusIoctl.IOCTL_BUSENUM_PLUGIN_HARDWARE, serial);
  }

  /** Plugs each toaster in and waits until its stack is started. */
  private void plugStarted(int... serials) {
    for (int serial : serials) {
      assertThat(plug(serial)).as("plug %d", serial).isEqualTo(NtStatus.STATUS_SUCCESS);
    }
    for (int serial : serials) {
      PnpLab.await("toaster " + serial + " started",
          () -> lab.node(toaster(serial)).map(n -> n.state().equals("DeviceNodeStarted")).orElse(false));
    }
  }

  private NtStatus unplug(int serial) {
    return bus(ToasterBusIoctl.IOCTL_BUSENUM_UNPLUG_HARDWARE, serial);
  }

  /** Whether a device has this name: IoDeleteDevice takes the name away at once. */
  private boolean deviceExists(String name) {
    var found = lab.kernel.objects().referenceByName(name, lab.kernel.io().deviceType());
    if (found.isSuccess()) {
      found.object().dereference();
      return true;
    }
    return false;
  }

  private static List<String> roles(DevNodeInfo node) {
    return node.stack().stream().map(l -> l.role() + " " + l.driverName()).toList();
  }

  private long[] filterCounts(Handle handle) {
    IoResult result = lab.admin.deviceIoControlFile(
        handle, ToasterFilterIoctl.IOCTL_TOASTER_FILTER_QUERY_COUNTS, null, ToasterFilterIoctl.COUNTS_SIZE);
    assertThat(result.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    long[] counts = new long[ToasterFilterIoctl.MAJOR_COUNT + ToasterFilterIoctl.PNP_MINOR_COUNT];
    ByteBuffer.wrap(result.data()).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(counts);
    return counts;
  }

  @Test
  void theBusInstalledAsARootDeviceIsStartedUnderItsNameWithItsFdoOnTheRootPdo() {
    installBus();

    DevNodeInfo bus = lab.existing(BUS_PATH);
    assertThat(bus.stack()).extracting(DeviceStackLayer::role, DeviceStackLayer::driverName, DeviceStackLayer::deviceName)
        .first().isEqualTo(Tuple.tuple("FDO", "\\Driver\\ToasterBus", ToasterBusIoctl.DEVICE_NAME));
    assertThat(bus.stack()).last().extracting(DeviceStackLayer::role).isEqualTo("PDO");
    assertThat(bus.children()).isEmpty();
    assertThat(unplug(0)).as("no toaster yet").isEqualTo(NtStatus.STATUS_NO_SUCH_DEVICE);
  }

  @Test
  void pluggingTwoToastersGrowsTheTreeByTwoDevnodesNamedByTheirIdsAndWithoutADriverTheyWaitForOne() {
    installBus();

    assertThat(plug(1)).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(plug(2)).isEqualTo(NtStatus.STATUS_SUCCESS);

    PnpLab.await("two toasters", () -> lab.node(toaster(2)).isPresent() && lab.node(toaster(1)).isPresent());
    assertThat(lab.existing(BUS_PATH).children()).map(String::toUpperCase)
        .containsExactlyInAnyOrder(toaster(1).toUpperCase(), toaster(2).toUpperCase());
    DevNodeInfo first = lab.existing(toaster(1));
    assertThat(first.parentPath()).isEqualToIgnoringCase(BUS_PATH);
    assertThat(first.hardwareIds()).containsExactly(TOASTER);
    assertThat(first.problemName()).as("no driver database entry").isEqualTo("CM_PROB_FAILED_INSTALL");
    assertThat(roles(first)).containsExactly("PDO \\Driver\\ToasterBus");
  }

  @Test
  void updateDriverInstallsTheDriverOnPresentToastersWithoutOneAndOnToastersPluggedInLater() {
    lab.driver("ToastFn");
    installBus();
    assertThat(plug(1)).isEqualTo(NtStatus.STATUS_SUCCESS);
    PnpLab.await("toaster 1 enumerated", () -> lab.node(toaster(1)).isPresent());
    assertThat(lab.existing(toaster(1)).problemName()).isEqualTo("CM_PROB_FAILED_INSTALL");

    SystemResult<String> updated = lab.admin.updateDriver(
        new DeviceInstall(TOASTER, "ToastFn", "", List.of(), List.of("ToasterFilter")));

    assertThat(updated.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(updated.rows()).map(String::toUpperCase).containsExactly(toaster(1).toUpperCase());
    DevNodeInfo first = lab.existing(toaster(1));
    assertThat(first.state()).isEqualTo("DeviceNodeStarted");
    assertThat(roles(first)).containsExactly(
        "UpperFilter \\Driver\\ToasterFilter", "FDO \\Driver\\ToastFn", "PDO \\Driver\\ToasterBus");
    plugStarted(2);
    assertThat(roles(lab.existing(toaster(2)))).as("the driver database serves later toasters too")
        .containsExactlyElementsOf(roles(first));
    assertThat(lab.admin.updateDriver(new DeviceInstall(TOASTER, "ToastFn", "", List.of(), List.of())).rows())
        .as("toasters that have a driver keep it").isEmpty();
  }

  @Test
  void updateDriverRefusesAHardwareIdWithAnEmptyComponentAndWithoutThePrivilege() {
    assertThat(lab.admin.updateDriver(new DeviceInstall("A\\\\B", "ToastFn", "", List.of(), List.of())).status())
        .isEqualTo(NtStatus.STATUS_INVALID_PARAMETER);
    assertThat(lab.admin.updateDriver(new DeviceInstall("\\A", "ToastFn", "", List.of(), List.of())).status())
        .isEqualTo(NtStatus.STATUS_INVALID_PARAMETER);
    try (ntio.kernel.LocalNt user = ntio.kernel.LocalNt.standardUser(lab.kernel, "user", 1001)) {
      assertThat(user.updateDriver(new DeviceInstall(TOASTER, "ToastFn", "", List.of(), List.of())).status())
          .isEqualTo(NtStatus.STATUS_PRIVILEGE_NOT_HELD);
    }
  }

  @Test
  void aSerialNumberInUseOrZeroIsAnInvalidParameterAndOneNoToasterHasIsNoSuchDevice() {
    installBus();
    assertThat(plug(7)).isEqualTo(NtStatus.STATUS_SUCCESS);

    assertThat(plug(7)).isEqualTo(NtStatus.STATUS_INVALID_PARAMETER);
    assertThat(plug(0)).isEqualTo(NtStatus.STATUS_INVALID_PARAMETER);
    assertThat(unplug(8)).isEqualTo(NtStatus.STATUS_NO_SUCH_DEVICE);
    assertThat(bus(ToasterBusIoctl.IOCTL_BUSENUM_EJECT_HARDWARE, 8)).isEqualTo(NtStatus.STATUS_NO_SUCH_DEVICE);
  }

  @Test
  void aToasterStackIsTheFilterOnTheFunctionDriverOnTheBusPdoAndTheFilterSeesWhatPassesThrough() {
    lab.driver("ToastFn");
    toasterDriverIs("ToastFn", "ToasterFilter");
    installBus();

    plugStarted(1);

    DevNodeInfo node = lab.existing(toaster(1));
    assertThat(roles(node)).containsExactly(
        "UpperFilter \\Driver\\ToasterFilter", "FDO \\Driver\\ToastFn", "PDO \\Driver\\ToasterBus");
    assertThat(node.service()).isEqualTo("ToastFn");
    assertThat(node.upperFilters()).containsExactly("ToasterFilter");
    assertThat(lab.log()).containsSubsequence("ToastFn:AddDevice", "ToastFn:START");

    Handle handle = lab.open(lab.deviceOf(toaster(1), "PDO"));
    long[] counts = filterCounts(handle);
    assertThat(counts[MajorFunctions.IRP_MJ_CREATE]).as("the open went through the filter").isEqualTo(1);
    assertThat(counts[MajorFunctions.IRP_MJ_DEVICE_CONTROL]).as("this query").isEqualTo(1);
    assertThat(counts[ToasterFilterIoctl.MAJOR_COUNT + PnpMinorFunctions.IRP_MN_START_DEVICE]).isEqualTo(1);
    assertThat(counts[MajorFunctions.IRP_MJ_PNP]).isGreaterThanOrEqualTo(1);
    lab.admin.close(handle);
  }

  @Test
  void unpluggingAToasterSurpriseRemovesItsStackAndTheBusDeletesItsPdoAndTheLastUnplugUnloadsItsDrivers() {
    lab.driver("ToastFn");
    toasterDriverIs("ToastFn", "ToasterFilter");
    installBus();
    plugStarted(1, 2);
    String pdo1 = lab.deviceOf(toaster(1), "PDO");

    assertThat(unplug(1)).isEqualTo(NtStatus.STATUS_SUCCESS);

    PnpLab.await("toaster 1 gone", () -> lab.node(toaster(1)).isEmpty());
    assertThat(lab.log()).containsSubsequence("ToastFn:SURPRISE_REMOVAL", "ToastFn:REMOVE");
    PnpLab.await("toaster 1's PDO deleted", () -> !deviceExists(pdo1));
    assertThat(lab.existing(BUS_PATH).children()).hasSize(1);
    assertThat(lab.driverLoaded("ToastFn")).as("toaster 2 still uses it").isTrue();
    assertThat(lab.driverLoaded("ToasterFilter")).isTrue();

    assertThat(unplug(2)).isEqualTo(NtStatus.STATUS_SUCCESS);

    PnpLab.await("the function driver unloaded", () -> !lab.driverLoaded("ToastFn") && !lab.imageMapped("ToastFn"));
    PnpLab.await("the filter unloaded", () -> !lab.driverLoaded("ToasterFilter"));
    assertThat(lab.existing(BUS_PATH).children()).isEmpty();
    assertThat(lab.log()).endsWith("ToastFn:Unload");
    assertThat(lab.driverLoaded("ToasterBus")).as("the bus is still there").isTrue();
  }

  @Test
  void anUnpluggedToasterWithAnOpenHandleWaitsForTheLastCloseBeforeItsPdoGoes() {
    lab.driver("ToastFn");
    toasterDriverIs("ToastFn", "ToasterFilter");
    installBus();
    plugStarted(3);
    String pdo = lab.deviceOf(toaster(3), "PDO");
    Handle handle = lab.open(pdo);

    assertThat(unplug(3)).isEqualTo(NtStatus.STATUS_SUCCESS);

    PnpLab.await("surprise-removed", () -> lab.log().contains("ToastFn:SURPRISE_REMOVAL"));
    assertThat(lab.log()).doesNotContain("ToastFn:REMOVE");
    assertThat(deviceExists(pdo)).as("the PDO waits for REMOVE_DEVICE").isTrue();
    assertThat(plug(3)).as("its serial number is still in use").isEqualTo(NtStatus.STATUS_INVALID_PARAMETER);

    lab.admin.close(handle);

    PnpLab.await("removed after the last close", () -> lab.log().contains("ToastFn:REMOVE"));
    PnpLab.await("the PDO deleted", () -> !deviceExists(pdo));
    PnpLab.await("the serial number free again", () -> plug(3).equals(NtStatus.STATUS_SUCCESS));
  }

  @Test
  void ejectingAToasterTakesItOffTheBusAndTheTree() {
    lab.driver("ToastFn");
    toasterDriverIs("ToastFn");
    installBus();
    plugStarted(4);
    String pdo = lab.deviceOf(toaster(4), "PDO");

    assertThat(bus(ToasterBusIoctl.IOCTL_BUSENUM_EJECT_HARDWARE, 4)).isEqualTo(NtStatus.STATUS_SUCCESS);

    PnpLab.await("toaster 4 gone", () -> lab.node(toaster(4)).isEmpty());
    PnpLab.await("its PDO deleted", () -> !deviceExists(pdo));
    PnpLab.await("the function driver unloaded", () -> !lab.driverLoaded("ToastFn"));
  }

  @Test
  void T39_aToasterStillPluggedInKeepsItsPdoWhenItsStackIsRemoved() {
    lab.driver("ToastFn");
    toasterDriverIs("ToastFn");
    installBus();
    plugStarted(5);
    String pdo = lab.deviceOf(toaster(5), "PDO");

    PnpVetoResult removed = lab.admin.removeDevice(toaster(5));

    assertThat(removed.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    PnpLab.await("the function driver unloaded", () -> !lab.driverLoaded("ToastFn"));
    assertThat(lab.log()).containsSubsequence("ToastFn:QUERY_REMOVE", "ToastFn:REMOVE");
    assertThat(deviceExists(pdo)).as("not reported missing: the bus keeps the PDO").isTrue();
    assertThat(plug(5)).as("still plugged in").isEqualTo(NtStatus.STATUS_INVALID_PARAMETER);
  }

  @Test
  void removingTheBusRemovesItsToastersFirstThenDeletesEveryPdoAndUnloadsTheBusDriver() {
    lab.driver("ToastFn");
    toasterDriverIs("ToastFn", "ToasterFilter");
    installBus();
    plugStarted(1, 2);
    List<String> pdos = List.of(lab.deviceOf(toaster(1), "PDO"), lab.deviceOf(toaster(2), "PDO"));

    PnpVetoResult removed = lab.admin.removeDevice(BUS_PATH);

    assertThat(removed.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    PnpLab.await("every driver unloaded", () -> !lab.driverLoaded("ToasterBus") && !lab.driverLoaded("ToastFn")
        && !lab.driverLoaded("ToasterFilter") && !lab.imageMapped("ToasterBus"));
    assertThat(lab.log()).containsSubsequence("ToastFn:REMOVE", "ToastFn:REMOVE", "ToastFn:Unload");
    assertThat(lab.node(BUS_PATH)).isEmpty();
    assertThat(lab.node(toaster(1))).isEmpty();
    assertThat(pdos).noneMatch(this::deviceExists);
    assertThat(deviceExists(ToasterBusIoctl.DEVICE_NAME)).isFalse();
    assertThat(lab.admin.openFile(AccessMask.FILE_READ_DATA, ObjectAttributes.of(ToasterBusIoctl.LINK_NAME), 0, 0)
        .status()).isEqualTo(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND);
  }
}
