package ntio.kernel.pnp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import ntio.api.DevNodeInfo;
import ntio.api.DeviceStackLayer;
import ntio.ddk.NtStatus;
import ntio.ddk.RegValue;
import org.junit.jupiter.api.Test;

/**
 * B41 and B42: root devices from the registry brought up — drivers loaded in NT's order, AddDevice
 * called for each, IRP_MN_START_DEVICE down the stack — and every failure's problem code with
 * nothing left half-built.
 */
class PnpBringUpTest extends PnpLabTest {

  private void rootInstance(String className, String instance, String service, RegValue... more) {
    String key = PnpLab.ENUM_ROOT + className + "\\" + instance;
    lab.set(key, RegValue.multiString("HardwareID", List.of("Root\\" + className)));
    lab.set(key, RegValue.string("Service", service));
    for (RegValue value : more) {
      lab.set(key, value);
    }
  }

  /** Installs {@code service} with {@code parameters} for one root device, enumerates, returns it. */
  private DevNodeInfo enumerateOneDevice(String service, String... parameters) {
    lab.driver(service, parameters);
    rootInstance("PNPTEST", "0000", service);
    lab.kernel.pnp().enumerateRoot();
    return lab.existing("ROOT\\PNPTEST\\0000");
  }

  @Test
  void B42_aRootInstanceKeyIsEnumeratedIntoAStartedDevnodeUnderTheRoot() {
    DevNodeInfo node = enumerateOneDevice("PnpFn");

    assertThat(node.state()).isEqualTo("DeviceNodeStarted");
    assertThat(node.problem()).isZero();
    assertThat(node.parentPath()).isEqualTo("HTREE\\ROOT\\0");
    assertThat(node.service()).isEqualTo("PnpFn");
    assertThat(node.stack()).extracting(DeviceStackLayer::role).containsExactly("FDO", "PDO");
    assertThat(node.stack().get(1).driverName()).isEqualTo("\\Driver\\PnpManager");
    assertThat(lab.log()).containsExactly("PnpFn:DriverEntry", "PnpFn:AddDevice", "PnpFn:START");
    DevNodeInfo root = lab.existing("HTREE\\ROOT\\0");
    assertThat(root.state()).isEqualTo("DeviceNodeStarted");
    assertThat(root.children()).contains("ROOT\\PNPTEST\\0000");
    assertThat(lab.keyExists(PnpLab.ENUM_ROOT + "PNPTEST\\0000\\Control")).as("volatile Control key").isTrue();
    assertThat(lab.kernel.registry().queryKernelValues(lab.kernel.systemThread(),
        PnpLab.SERVICES + "PnpFn\\Enum", "Count", "0"))
        .as("the service's Enum list (B42)")
        .containsEntry("Count", RegValue.dword("Count", 1))
        .containsEntry("0", RegValue.string("0", "ROOT\\PNPTEST\\0000"));
  }

  @Test
  void B41_addDeviceOrderIsLowerFiltersClassLowerFiltersFunctionUpperFiltersClassUpperFilters() {
    for (String service : List.of("PnpLow", "PnpClassLow", "PnpFn", "PnpUp", "PnpClassUp")) {
      lab.driver(service);
    }
    String guid = "{11111111-2222-3333-4444-555555555555}";
    String classKey = "\\Registry\\Machine\\System\\CurrentControlSet\\Control\\Class\\" + guid;
    lab.set(classKey, RegValue.multiString("LowerFilters", List.of("PnpClassLow")));
    lab.set(classKey, RegValue.multiString("UpperFilters", List.of("PnpClassUp")));
    rootInstance("PNPTEST", "0000", "PnpFn", RegValue.string("ClassGUID", guid),
        RegValue.multiString("LowerFilters", List.of("PnpLow")),
        RegValue.multiString("UpperFilters", List.of("PnpUp")));

    lab.kernel.pnp().enumerateRoot();

    assertThat(lab.log().stream().filter(e -> e.endsWith(":AddDevice")).toList()).containsExactly(
        "PnpLow:AddDevice", "PnpClassLow:AddDevice", "PnpFn:AddDevice", "PnpUp:AddDevice",
        "PnpClassUp:AddDevice");
    DevNodeInfo node = lab.existing("ROOT\\PNPTEST\\0000");
    assertThat(node.stack()).extracting(DeviceStackLayer::service)
        .containsExactly("PnpClassUp", "PnpUp", "PnpFn", "PnpClassLow", "PnpLow", "");
    assertThat(node.stack()).extracting(DeviceStackLayer::role)
        .containsExactly("UpperFilter", "UpperFilter", "FDO", "LowerFilter", "LowerFilter", "PDO");
    assertThat(node.lowerFilters()).containsExactly("PnpLow", "PnpClassLow");
    assertThat(node.upperFilters()).containsExactly("PnpUp", "PnpClassUp");
    assertThat(lab.log().stream().filter(e -> e.endsWith(":START")).toList())
        .as("START goes down from the top").containsExactly("PnpClassUp:START", "PnpUp:START",
            "PnpFn:START", "PnpClassLow:START", "PnpLow:START");
  }

  @Test
  void B41_aFailingAddDeviceLeavesFailedAddAndRemovesWhatTheFiltersBelowAdded() {
    lab.driver("PnpLow");
    lab.driver("PnpFn", "FailAdd");
    rootInstance("PNPTEST", "0000", "PnpFn", RegValue.multiString("LowerFilters", List.of("PnpLow")));

    lab.kernel.pnp().enumerateRoot();

    DevNodeInfo node = lab.existing("ROOT\\PNPTEST\\0000");
    assertThat(node.problem()).isEqualTo(ProblemCodes.CM_PROB_FAILED_ADD);
    assertThat(node.problemName()).isEqualTo("CM_PROB_FAILED_ADD");
    assertThat(node.problemStatus()).isEqualTo(NtStatus.STATUS_INSUFFICIENT_RESOURCES);
    assertThat(node.state()).isEqualTo("DeviceNodeInitialized");
    assertThat(node.stack()).extracting(DeviceStackLayer::role).containsExactly("PDO");
    assertThat(lab.log()).containsSubsequence("PnpLow:DriverEntry", "PnpFn:DriverEntry", "PnpLow:AddDevice",
        "PnpFn:AddDevice", "PnpLow:REMOVE");
    PnpLab.await("both drivers unloaded", () -> !lab.driverLoaded("PnpLow") && !lab.driverLoaded("PnpFn"));
    assertThat(lab.log()).contains("PnpLow:Unload", "PnpFn:Unload");
    PnpLab.await("both images unmapped", () -> !lab.imageMapped("PnpLow") && !lab.imageMapped("PnpFn"));
  }

  @Test
  void B41_aFilterWhoseAddDeviceFailsIsLeftOutAndTheDeviceStarts() {
    lab.driver("PnpUp", "FailAdd");
    lab.driver("PnpFn");
    rootInstance("PNPTEST", "0000", "PnpFn", RegValue.multiString("UpperFilters", List.of("PnpUp")));

    lab.kernel.pnp().enumerateRoot();

    DevNodeInfo node = lab.existing("ROOT\\PNPTEST\\0000");
    assertThat(node.state()).isEqualTo("DeviceNodeStarted");
    assertThat(node.stack()).extracting(DeviceStackLayer::service).containsExactly("PnpFn", "");
    PnpLab.await("the filter, with no device, unloaded", () -> !lab.driverLoaded("PnpUp"));
  }

  @Test
  void B41_aDriverThatCannotBeLoadedCallsNoAddDeviceAndTheDriversLoadedForTheStackUnload() {
    lab.driver("PnpLow");
    lab.driver("PnpFn");
    rootInstance("PNPTEST", "0000", "PnpFn", RegValue.multiString("LowerFilters", List.of("PnpLow")),
        RegValue.multiString("UpperFilters", List.of("NoSuchFilter")));

    lab.kernel.pnp().enumerateRoot();

    DevNodeInfo node = lab.existing("ROOT\\PNPTEST\\0000");
    assertThat(node.problem()).isEqualTo(ProblemCodes.CM_PROB_DRIVER_FAILED_LOAD);
    assertThat(node.state()).isEqualTo("DeviceNodeInitialized");
    PnpLab.await("both unloaded", () -> !lab.driverLoaded("PnpLow") && !lab.driverLoaded("PnpFn"));
    assertThat(lab.log()).noneMatch(e -> e.endsWith(":AddDevice"));
    assertThat(lab.log()).contains("PnpLow:Unload", "PnpFn:Unload");
  }

  @Test
  void B41_aFailingDriverEntryIsFailedDriverEntry() {
    DevNodeInfo node = enumerateOneDevice("PnpFn", "FailEntry");

    assertThat(node.problem()).isEqualTo(ProblemCodes.CM_PROB_FAILED_DRIVER_ENTRY);
    assertThat(node.problemStatus()).isEqualTo(NtStatus.STATUS_UNSUCCESSFUL);
    assertThat(lab.driverLoaded("PnpFn")).isFalse();
  }

  @Test
  void B41_aDisabledServiceIsDisabledServiceAndItsDriverIsNotLoaded() {
    lab.driver("PnpFn");
    lab.set(PnpLab.SERVICES + "PnpFn", RegValue.dword("Start", 4));
    rootInstance("PNPTEST", "0000", "PnpFn");

    lab.kernel.pnp().enumerateRoot();

    assertThat(lab.existing("ROOT\\PNPTEST\\0000").problem()).isEqualTo(ProblemCodes.CM_PROB_DISABLED_SERVICE);
    assertThat(lab.log()).isEmpty();
  }

  @Test
  void B41_aMissingServiceKeyIsDriverFailedLoad() {
    rootInstance("PNPTEST", "0000", "NoSuchService");

    lab.kernel.pnp().enumerateRoot();

    DevNodeInfo node = lab.existing("ROOT\\PNPTEST\\0000");
    assertThat(node.problem()).isEqualTo(ProblemCodes.CM_PROB_DRIVER_FAILED_LOAD);
    assertThat(node.problemStatus()).isEqualTo(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND);
  }

  @Test
  void B41_aRootInstanceWithoutServiceIsNotConfigured() {
    lab.set(PnpLab.ENUM_ROOT + "PNPTEST\\0000", RegValue.multiString("HardwareID", List.of("Root\\PnpTest")));

    lab.kernel.pnp().enumerateRoot();

    assertThat(lab.existing("ROOT\\PNPTEST\\0000").problem()).isEqualTo(ProblemCodes.CM_PROB_NOT_CONFIGURED);
  }

  @Test
  void B41_aFailingStartIsFailedStartTheStackIsRemovedAndTheDriverUnloads() {
    DevNodeInfo node = enumerateOneDevice("PnpFn", "FailStart");

    assertThat(node.problem()).isEqualTo(ProblemCodes.CM_PROB_FAILED_START);
    assertThat(node.problemStatus()).isEqualTo(NtStatus.STATUS_DEVICE_NOT_READY);
    assertThat(node.state()).isEqualTo("DeviceNodeRemoved");
    assertThat(node.stack()).extracting(DeviceStackLayer::role).containsExactly("PDO");
    PnpLab.await("PnpFn unloaded", () -> !lab.driverLoaded("PnpFn"));
    assertThat(lab.log()).containsExactly("PnpFn:DriverEntry", "PnpFn:AddDevice", "PnpFn:START",
        "PnpFn:REMOVE", "PnpFn:Unload");
  }

  @Test
  void B41_aDriverServingTwoDevicesIsLoadedOnceAndReused() {
    lab.driver("PnpFn");
    rootInstance("PNPTEST", "0000", "PnpFn");
    rootInstance("PNPTEST", "0001", "PnpFn");

    lab.kernel.pnp().enumerateRoot();

    assertThat(lab.existing("ROOT\\PNPTEST\\0000").state()).isEqualTo("DeviceNodeStarted");
    assertThat(lab.existing("ROOT\\PNPTEST\\0001").state()).isEqualTo("DeviceNodeStarted");
    assertThat(lab.log().stream().filter(e -> e.equals("PnpFn:DriverEntry"))).hasSize(1);
  }
}
