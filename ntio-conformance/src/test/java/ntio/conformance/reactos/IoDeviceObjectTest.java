package ntio.conformance.reactos;

import static ntio.conformance.reactos.KernelChecks.assertPassed;
import static ntio.conformance.reactos.KernelChecks.bounded;
import static org.assertj.core.api.Assertions.assertThat;

import ntio.api.OpenResult;
import ntio.conformance.ConformanceHost;
import ntio.conformance.KernelResults;
import ntio.ddk.AccessMask;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.host.wire.RemoteNt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Port of reactos/reactos {@code modules/rostests/kmtests/ntos_io/IoDeviceObject_user.c}
 * ({@code START_TEST(IoDeviceObject)}) with its kernel halves {@code IoDeviceObject_drv.c}
 * ({@link IoDeviceObjectDriver}) and {@code IoHelper_drv.c} ({@link IoHelperDriver}).
 *
 * <p>The user-mode half runs once, as upstream's does: it loads the helper and stops it again
 * (keeping its service), then loads the test driver — whose DriverEntry creates and deletes
 * devices, loads the helper from kernel mode, attaches to its device and unloads it while still
 * attached — opens the test device, closes it and unloads the test driver, whose DriverUnload
 * checks the devices' state before and after detaching. Each test then asserts the kernel checks
 * of one upstream function at one call site: how many upstream makes there (less the ones listed
 * as not ported in {@link IoDeviceObjectDriver}) and that all passed.
 *
 * <p>{@code TestDriverObject(DriverStatusIrp)} is never reached upstream either: by the time a
 * request arrives, {@code TestDispatch} passes every request down to the helper's device.
 */
class IoDeviceObjectTest {

  private static final String HELPER = "Kmtest-IoHelper";
  private static final String SERVICE = "Kmtest-IoDeviceObject";

  private static ConformanceHost host;
  private static NtStatus helperLoad;
  private static NtStatus driverLoad;
  private static NtStatus driverOpen;
  private static KernelResults results;

  @BeforeAll
  static void runTheUserModeHalf() {
    host = ConformanceHost.start();
    host.installDriver(HELPER, IoHelperDriver.class);
    host.installDriver(SERVICE, IoDeviceObjectDriver.class, KmtChecks.class);
    RemoteNt client = host.connect("kmtest");

    // KmtLoadDriver(L"IoHelper", FALSE), then KmtUnloadDriverKeepService().
    helperLoad = bounded("load the helper", () -> host.loadDriver(HELPER));
    if (helperLoad.isSuccess()) {
      bounded("unload the helper", () -> host.unloadDriver(HELPER));
      // KmtLoadAndOpenDriver(L"IoDeviceObject", TRUE).
      driverLoad = bounded("load the test driver", () -> host.loadDriver(SERVICE));
      if (driverLoad.isSuccess()) {
        OpenResult opened = bounded("open the test device", () -> client.createFile(
            AccessMask.GENERIC_READ | AccessMask.GENERIC_WRITE,
            ObjectAttributes.of("\\Device\\" + SERVICE), 0, 0));
        driverOpen = opened.status();
        // KmtCloseDriver(), KmtUnloadDriver().
        if (opened.status().isSuccess()) {
          bounded("close the test device", () -> client.close(opened.handle()));
        }
        bounded("unload the test driver", () -> host.unloadDriver(SERVICE));
      }
    }
    results = KernelResults.read(client, IoDeviceObjectDriver.SUITE);
  }

  @AfterAll
  static void stopHost() {
    host.close();
  }

  /** IoDeviceObject_user.c: {@code KmtLoadDriver(L"IoHelper", FALSE)} is ERROR_SUCCESS. */
  @Test
  void userModeLoadsTheHelperDriver() {
    assertThat(helperLoad).isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  /** IoDeviceObject_user.c: {@code KmtLoadAndOpenDriver(L"IoDeviceObject", TRUE)} is ERROR_SUCCESS. */
  @Test
  void userModeLoadsAndOpensTheTestDriver() {
    assertThat(driverLoad).as("load").isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(driverOpen).as("open").isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  /**
   * {@code TestDriverObject(DriverStatusEntry)}: a legacy driver, no device yet, its names and
   * strings as NT lays them out, every dispatch entry the same default routine.
   */
  @Test
  void driverObjectInDriverEntryIsAnUninitializedLegacyDriver() {
    assertPassed(results, "TestDriverObject(Entry): ", 17 + 1 + 28);
  }

  /** {@code TestDeviceCreateDelete}: statuses of IoCreateDevice, and the device list emptied by IoDeleteDevice. */
  @Test
  void devicesAreCreatedInDeviceOnlyAndDeletedFromTheDriversList() {
    assertPassed(results, "TestDeviceCreateDelete: ", 6);
  }

  /** {@code TestDeviceCreated(DeviceObject, TRUE)}. */
  @Test
  void newExclusiveDeviceIsNamedInitializingExclusiveAndUnattached() {
    assertPassed(results, "TestDeviceCreated(exclusive): ", 12);
  }

  /** {@code TestDeviceCreated(DeviceObject, FALSE)}. */
  @Test
  void newSharedDeviceIsNamedInitializingAndUnattached() {
    assertPassed(results, "TestDeviceCreated(shared): ", 12);
  }

  /** {@code TestZwLoad}: itself is already loaded, a missing key is not found, the helper loads. */
  @Test
  void zwLoadDriverFromDriverEntry() {
    assertPassed(results, "TestZwLoad: ", 3);
  }

  /** {@code TestAttachDevice}: IoAttachDevice to the helper's (exclusive) device succeeds. */
  @Test
  void attachDeviceToTheHelpersDeviceSucceeds() {
    assertPassed(results, "TestAttachDevice: ", 1);
  }

  /** {@code TestLowerDeviceKernelAPI}, first call: both APIs return the helper's device. */
  @Test
  void lowerDeviceApisReturnTheAttachedDevice() {
    assertPassed(results, "TestLowerDeviceKernelAPI(attached): ", 2);
  }

  /** {@code TestZwUnload}: itself has no DriverUnload yet, a missing key is not found, the helper unloads. */
  @Test
  void zwUnloadDriverFromDriverEntry() {
    assertPassed(results, "TestZwUnload: ", 3);
  }

  /** {@code TestLowerDeviceKernelAPI}, second call: the helper's unload is pending, its device still below. */
  @Test
  void lowerDeviceApisStillReturnTheLowerDeviceAfterItsDriverUnloaded() {
    assertPassed(results, "TestLowerDeviceKernelAPI(lower unloaded): ", 2);
  }

  /** {@code TestDeviceDeletion(MainDeviceObject, FALSE, TRUE)} in TestUnload. */
  @Test
  void mainDeviceAtUnloadIsUnloadPendingAndAttachedToTheHelper() {
    assertPassed(results, "TestDeviceDeletion(main, attached): ", 11);
  }

  /** {@code TestDeviceDeletion(AttachDeviceObject, TRUE, FALSE)} in TestUnload. */
  @Test
  void lowerDeviceAtUnloadIsUnloadPendingExclusiveWithTheMainDeviceOnTop() {
    assertPassed(results, "TestDeviceDeletion(lower): ", 10);
  }

  /** {@code TestDeviceDeletion(MainDeviceObject, FALSE, FALSE)} after IoDetachDevice. */
  @Test
  void mainDeviceAfterDetachIsAttachedToNothing() {
    assertPassed(results, "TestDeviceDeletion(main, detached): ", 11);
  }

  /** {@code TestDriverObject(DriverStatusUnload)}. */
  @Test
  void driverObjectInDriverUnloadIsInitializedWithUnloadInvoked() {
    assertPassed(results, "TestDriverObject(Unload): ", 4 + 23);
  }
}
