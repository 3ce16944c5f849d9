package ntio.drivers.nul;

import ntio.ddk.IoControlCodes;
import ntio.ddk.DeviceObject;
import ntio.ddk.DispatchRoutine;
import ntio.ddk.DeviceTypes;
import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.DriverUnload;
import ntio.ddk.Irp;
import ntio.ddk.KernelServices;
import ntio.ddk.KernelServices.DeviceResult;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;

/**
 * The Null driver's image entry point ({@code Ntio-Driver-Entry} of {@code Null.jar}).
 *
 * <p>Demonstrates the whole life of a minimal legacy driver: DriverEntry creates one named,
 * non-exclusive device and fills the dispatch table; requests complete synchronously in the
 * dispatch routine; DriverUnload deletes the device. Nothing is allocated, so nothing can leak.
 *
 * <ul>
 *   <li>{@code IRP_MJ_CREATE}, {@code IRP_MJ_CLEANUP}, {@code IRP_MJ_CLOSE}: succeed,
 *       {@code Information} 0.
 *   <li>{@code IRP_MJ_READ}: {@code STATUS_END_OF_FILE}, {@code Information} 0 — the device is
 *       always at its end.
 *   <li>{@code IRP_MJ_WRITE}: succeeds with {@code Information} = the length written; the bytes are
 *       discarded.
 * </ul>
 */
public final class NullDriver implements DriverEntry, DispatchRoutine, DriverUnload {

  /** Called by the loader, once per load of the image. */
  public NullDriver() {}

  /**
   * Creates {@code \Device\Null} and sets the dispatch routines and DriverUnload. Models
   * {@code DriverEntry} of NT's {@code null.sys} (full).
   *
   * <p>The driver object is its own dispatch and unload routine rather than a set of lambdas:
   * each load gets a fresh class loader, in which every lambda is a hidden class linked anew —
   * about half of a whole load/unload cycle for this driver (see docs/performance.md).
   *
   * @return {@code STATUS_SUCCESS}, or the status of the failed {@code IoCreateDevice}, in which
   *     case nothing was created
   */
  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    KernelServices services = driver.services();
    // The only step that can fail is the first, so a failure has nothing to undo.
    DeviceResult created =
        services.createDevice(
            driver,
            null,
            UnicodeString.of(NullNames.DEVICE_NAME),
            DeviceTypes.FILE_DEVICE_NULL,
            0,
            false);
    if (!created.status().isSuccess()) {
      return created.status();
    }
    driver.setMajorFunction(MajorFunctions.IRP_MJ_CREATE, this);
    driver.setMajorFunction(MajorFunctions.IRP_MJ_CLEANUP, this);
    driver.setMajorFunction(MajorFunctions.IRP_MJ_CLOSE, this);
    driver.setMajorFunction(MajorFunctions.IRP_MJ_READ, this);
    driver.setMajorFunction(MajorFunctions.IRP_MJ_WRITE, this);
    driver.setDriverUnload(this);
    return NtStatus.STATUS_SUCCESS;
  }

  /** DriverUnload: deletes the one device DriverEntry created. */
  @Override
  public void unload(DriverObject driver) {
    DeviceObject device = driver.deviceObject();
    driver.services().deleteDevice(device);
  }

  /** The dispatch routine of every major function the driver handles. */
  @Override
  public NtStatus dispatch(DeviceObject device, Irp irp) {
    KernelServices services = device.driverObject().services();
    return switch (irp.currentStackLocation().majorFunction()) {
      case MajorFunctions.IRP_MJ_READ -> complete(services, irp, NtStatus.STATUS_END_OF_FILE, 0);
      case MajorFunctions.IRP_MJ_WRITE ->
          complete(services, irp, NtStatus.STATUS_SUCCESS, irp.currentStackLocation().length());
      default -> complete(services, irp, NtStatus.STATUS_SUCCESS, 0);
    };
  }

  private static NtStatus complete(
      KernelServices services, Irp irp, NtStatus status, long information) {
    irp.ioStatus().setStatus(status);
    irp.ioStatus().setInformation(information);
    services.completeRequest(irp, IoControlCodes.IO_NO_INCREMENT);
    return status;
  }
}
