package ntio.conformance.reactos;

import ntio.ddk.DeviceObject;
import ntio.ddk.DeviceTypes;
import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.Irp;
import ntio.ddk.KernelServices;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;

/**
 * The kernel half of ReactOS's I/O test helper, as kmtest's standalone framework runs it: a lower
 * driver for IoDeviceObject to load, attach to and unload while attached.
 *
 * <p>Port of reactos/reactos {@code modules/rostests/kmtests/ntos_io/IoHelper_drv.c}
 * ({@code TestEntry}, {@code TestUnload}, {@code TestIrpHandler}) together with what
 * {@code kmtests/kmtest_drv/kmtest_standalone.c} ({@code DriverEntry}, {@code DriverUnload}) does
 * around them: it creates {@code \Device\Kmtest-IoHelper} (unknown type, secure open, read-only,
 * exclusive), sends every major function to the handler, which completes with STATUS_SUCCESS and
 * Information 0, and deletes the device in its unload routine. The helper makes no checks.
 */
public final class IoHelperDriver implements DriverEntry {

  /** kmtest's {@code FILE_READ_ONLY_DEVICE}, which the standalone framework sets by default. */
  static final int FILE_READ_ONLY_DEVICE = 0x00000002;

  private DeviceObject testDevice;

  /** Needed by the image loader. */
  public IoHelperDriver() {}

  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    KernelServices services = driver.services();
    KernelServices.DeviceResult created = services.createDevice(driver, null,
        UnicodeString.of("\\Device\\Kmtest-IoHelper"), DeviceTypes.FILE_DEVICE_UNKNOWN,
        DeviceTypes.FILE_DEVICE_SECURE_OPEN | FILE_READ_ONLY_DEVICE, true);
    if (!created.status().isSuccess()) {
      return created.status();
    }
    testDevice = created.device();
    driver.setDriverUnload(d -> {
      if (testDevice != null) {
        d.services().deleteDevice(testDevice);
      }
    });
    for (int i = 0; i <= MajorFunctions.IRP_MJ_MAXIMUM_FUNCTION; i++) {
      driver.setMajorFunction(i, IoHelperDriver::testIrpHandler);
    }
    return NtStatus.STATUS_SUCCESS;
  }

  /** IoHelper_drv.c {@code TestIrpHandler}: every request succeeds with no information. */
  private static NtStatus testIrpHandler(DeviceObject device, Irp irp) {
    irp.ioStatus().setStatus(NtStatus.STATUS_SUCCESS);
    irp.ioStatus().setInformation(0);
    device.driverObject().services().completeRequest(irp, 0);
    return NtStatus.STATUS_SUCCESS;
  }
}
