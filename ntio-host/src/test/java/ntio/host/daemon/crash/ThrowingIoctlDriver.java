package ntio.host.daemon.crash;

import ntio.ddk.DeviceObject;
import ntio.ddk.DeviceTypes;
import ntio.ddk.DispatchRoutine;
import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.DriverUnload;
import ntio.ddk.IoControlCodes;
import ntio.ddk.Irp;
import ntio.ddk.KernelServices;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;

/**
 * A driver that loads cleanly and throws from its IRP_MJ_DEVICE_CONTROL: the driver writer's
 * first bug, an exception escaping driver code.
 */
public final class ThrowingIoctlDriver implements DriverEntry, DispatchRoutine, DriverUnload {

  /** Its device. */
  public static final String DEVICE = "\\Device\\Thrower";

  public ThrowingIoctlDriver() {}

  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    KernelServices.DeviceResult created = driver.services().createDevice(driver, null,
        UnicodeString.of(DEVICE), DeviceTypes.FILE_DEVICE_UNKNOWN, 0, false);
    if (!created.status().isSuccess()) {
      return created.status();
    }
    for (int major : new int[] {MajorFunctions.IRP_MJ_CREATE, MajorFunctions.IRP_MJ_CLEANUP,
        MajorFunctions.IRP_MJ_CLOSE, MajorFunctions.IRP_MJ_DEVICE_CONTROL}) {
      driver.setMajorFunction(major, this);
    }
    driver.setDriverUnload(this);
    return NtStatus.STATUS_SUCCESS;
  }

  @Override
  public void unload(DriverObject driver) {
    driver.services().deleteDevice(driver.deviceObject());
  }

  @Override
  public NtStatus dispatch(DeviceObject device, Irp irp) {
    if (irp.currentStackLocation().majorFunction() == MajorFunctions.IRP_MJ_DEVICE_CONTROL) {
      throw new IllegalStateException("the driver writer's first bug");
    }
    irp.ioStatus().setStatus(NtStatus.STATUS_SUCCESS);
    irp.ioStatus().setInformation(0);
    device.driverObject().services().completeRequest(irp, IoControlCodes.IO_NO_INCREMENT);
    return NtStatus.STATUS_SUCCESS;
  }
}
