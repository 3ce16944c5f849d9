package ntio.drivers.toaster.bus;

import ntio.ddk.DeviceFlags;
import ntio.ddk.DeviceObject;
import ntio.ddk.DeviceTypes;
import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.KernelServices;
import ntio.ddk.KernelServices.DeviceResult;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;

/**
 * The ToasterBus driver's image entry point ({@code Ntio-Driver-Entry} of {@code ToasterBus.jar},
 * a WDM image): a root-enumerated bus whose children are toasters plugged in and out through its
 * control codes ({@link ToasterBusIoctl}).
 *
 * <p>DriverEntry creates no device: a PnP driver's devices come from AddDevice, which the PnP
 * manager calls for the bus's root device (hardware ID {@link ToasterBusIoctl#BUS_HARDWARE_ID}).
 * The driver unloads when the PnP manager has removed its last device.
 */
public final class ToasterBusDriver implements DriverEntry {

  /** Called by the loader, once per load of the image. */
  public ToasterBusDriver() {}

  /**
   * Sets AddDevice, the dispatch routines and DriverUnload. Models a WDM bus driver's {@code
   * DriverEntry} (full).
   *
   * @return {@code STATUS_SUCCESS}
   */
  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    ToasterBusDispatch dispatch = new ToasterBusDispatch(driver);
    int[] opens = {MajorFunctions.IRP_MJ_CREATE, MajorFunctions.IRP_MJ_CLEANUP, MajorFunctions.IRP_MJ_CLOSE};
    for (int function : opens) {
      driver.setMajorFunction(function, dispatch::createClose);
    }
    driver.setMajorFunction(MajorFunctions.IRP_MJ_DEVICE_CONTROL, dispatch::deviceControl);
    driver.setMajorFunction(MajorFunctions.IRP_MJ_PNP, dispatch::pnp);
    // Neither is the bus's business: the FDO passes them on, a PDO completes them as they are.
    for (int function : new int[] {MajorFunctions.IRP_MJ_POWER, MajorFunctions.IRP_MJ_SYSTEM_CONTROL}) {
      driver.setMajorFunction(function, dispatch::passOrComplete);
    }
    driver.driverExtension().setAddDevice(ToasterBusDriver::addDevice);
    // Every device is gone by the time the PnP manager unloads the driver: nothing to undo.
    driver.setDriverUnload(unloaded -> { });
    return NtStatus.STATUS_SUCCESS;
  }

  /**
   * AddDevice for the bus's root device: creates the FDO {@link ToasterBusIoctl#DEVICE_NAME} and
   * its link {@link ToasterBusIoctl#LINK_NAME}, and attaches the FDO to {@code physicalDevice}.
   * Follows the WDK toaster bus's {@code Bus_AddDevice}.
   *
   * @return success; or the status of the failed step, with what was made before it undone
   *     ({@code STATUS_OBJECT_NAME_COLLISION} for a second bus: the name is taken)
   */
  static NtStatus addDevice(DriverObject driver, DeviceObject physicalDevice) {
    KernelServices services = driver.services();
    ToasterBus bus = new ToasterBus(physicalDevice);
    DeviceResult created = services.createDevice(driver, bus, UnicodeString.of(ToasterBusIoctl.DEVICE_NAME),
        ToasterBusIoctl.FILE_DEVICE_BUS_EXTENDER, DeviceTypes.FILE_DEVICE_SECURE_OPEN, false);
    if (!created.status().isSuccess()) {
      return created.status();
    }
    DeviceObject fdo = created.device();
    NtStatus linked = services.createSymbolicLink(
        UnicodeString.of(ToasterBusIoctl.LINK_NAME), UnicodeString.of(ToasterBusIoctl.DEVICE_NAME));
    if (!linked.isSuccess()) {
      services.deleteDevice(fdo);
      return linked;
    }
    DeviceResult attached = services.attachDeviceToDeviceStack(fdo, physicalDevice);
    if (!attached.status().isSuccess()) {
      services.deleteSymbolicLink(UnicodeString.of(ToasterBusIoctl.LINK_NAME));
      services.deleteDevice(fdo);
      return attached.status();
    }
    bus.setLowerDevice(attached.device());
    bus.setLinked(true);
    fdo.setFlags(DeviceFlags.DO_POWER_PAGABLE);
    fdo.clearFlags(DeviceFlags.DO_DEVICE_INITIALIZING);
    return NtStatus.STATUS_SUCCESS;
  }
}
