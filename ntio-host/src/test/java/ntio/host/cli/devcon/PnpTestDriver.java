package ntio.host.cli.devcon;

import java.util.concurrent.atomic.AtomicReference;
import ntio.ddk.AddDevice;
import ntio.ddk.DeviceFlags;
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
import ntio.ddk.PnpMinorFunctions;
import ntio.ddk.UnicodeString;

/**
 * The smallest WDM function driver for a root-enumerated device, for the {@code ntio devcon} tests:
 * AddDevice creates an FDO named after the PDO ({@code \Device\PnpTest00000004}, so a test can open
 * it), attaches it, and clears {@code DO_DEVICE_INITIALIZING}; every PnP IRP is passed down, and
 * IRP_MN_REMOVE_DEVICE then detaches and deletes the FDO, as the DDK's contract for a function
 * driver says. Create and close succeed. One class, no lambdas: the test image holds this class
 * file alone.
 */
public final class PnpTestDriver implements DriverEntry, AddDevice, DispatchRoutine, DriverUnload {

  /** The FDOs' name prefix. */
  public static final String DEVICE_PREFIX = "\\Device\\PnpTest";

  public PnpTestDriver() {}

  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    driver.driverExtension().setAddDevice(this);
    for (int major : new int[] {MajorFunctions.IRP_MJ_CREATE, MajorFunctions.IRP_MJ_CLEANUP,
        MajorFunctions.IRP_MJ_CLOSE, MajorFunctions.IRP_MJ_PNP}) {
      driver.setMajorFunction(major, this);
    }
    driver.setDriverUnload(this);
    return NtStatus.STATUS_SUCCESS;
  }

  @Override
  public NtStatus addDevice(DriverObject driver, DeviceObject physicalDevice) {
    KernelServices services = driver.services();
    String pdoName = physicalDevice.deviceName().orElse("\\Device\\Unnamed");
    String name = DEVICE_PREFIX + pdoName.substring(pdoName.lastIndexOf('\\') + 1);
    AtomicReference<DeviceObject> lower = new AtomicReference<>();
    KernelServices.DeviceResult created = services.createDevice(driver, lower, UnicodeString.of(name),
        DeviceTypes.FILE_DEVICE_UNKNOWN, 0, false);
    if (!created.status().isSuccess()) {
      return created.status();
    }
    KernelServices.DeviceResult attached = services.attachDeviceToDeviceStack(created.device(), physicalDevice);
    if (!attached.status().isSuccess() || attached.device() == null) {
      services.deleteDevice(created.device());
      return NtStatus.STATUS_NO_SUCH_DEVICE;
    }
    lower.set(attached.device());
    created.device().clearFlags(DeviceFlags.DO_DEVICE_INITIALIZING);
    return NtStatus.STATUS_SUCCESS;
  }

  @Override
  public NtStatus dispatch(DeviceObject device, Irp irp) {
    KernelServices services = device.driverObject().services();
    if (irp.currentStackLocation().majorFunction() != MajorFunctions.IRP_MJ_PNP) {
      irp.ioStatus().setStatus(NtStatus.STATUS_SUCCESS);
      irp.ioStatus().setInformation(0);
      services.completeRequest(irp, IoControlCodes.IO_NO_INCREMENT);
      return NtStatus.STATUS_SUCCESS;
    }
    @SuppressWarnings("unchecked")
    DeviceObject lower = ((AtomicReference<DeviceObject>) device.deviceExtension()).get();
    int minor = irp.currentStackLocation().minorFunction();
    if (minor == PnpMinorFunctions.IRP_MN_START_DEVICE || minor == PnpMinorFunctions.IRP_MN_QUERY_REMOVE_DEVICE
        || minor == PnpMinorFunctions.IRP_MN_CANCEL_REMOVE_DEVICE || minor == PnpMinorFunctions.IRP_MN_REMOVE_DEVICE
        || minor == PnpMinorFunctions.IRP_MN_SURPRISE_REMOVAL || minor == PnpMinorFunctions.IRP_MN_STOP_DEVICE
        || minor == PnpMinorFunctions.IRP_MN_QUERY_STOP_DEVICE || minor == PnpMinorFunctions.IRP_MN_CANCEL_STOP_DEVICE) {
      irp.ioStatus().setStatus(NtStatus.STATUS_SUCCESS);
    }
    irp.skipCurrentStackLocation();
    NtStatus status = services.callDriver(lower, irp);
    if (minor == PnpMinorFunctions.IRP_MN_REMOVE_DEVICE) {
      services.detachDevice(lower);
      services.deleteDevice(device);
    }
    return status;
  }

  @Override
  public void unload(DriverObject driver) {
    // Every FDO was deleted at its IRP_MN_REMOVE_DEVICE: nothing is left to free.
  }
}
