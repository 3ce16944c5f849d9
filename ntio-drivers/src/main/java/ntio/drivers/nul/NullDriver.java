package ntio.drivers.nul;

import ntio.ddk.IoControlCodes;
import ntio.ddk.DeviceObject;
import ntio.ddk.DeviceTypes;
import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
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
public final class NullDriver implements DriverEntry {

  /** Called by the loader, once per load of the image. */
  public NullDriver() {}

  /**
   * Creates {@code \Device\Null} and sets the dispatch routines and DriverUnload. Models
   * {@code DriverEntry} of NT's {@code null.sys} (full).
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
    driver.setMajorFunction(MajorFunctions.IRP_MJ_CREATE, (device, irp) -> succeed(services, irp));
    driver.setMajorFunction(MajorFunctions.IRP_MJ_CLEANUP, (device, irp) -> succeed(services, irp));
    driver.setMajorFunction(MajorFunctions.IRP_MJ_CLOSE, (device, irp) -> succeed(services, irp));
    driver.setMajorFunction(MajorFunctions.IRP_MJ_READ, (device, irp) -> read(services, irp));
    driver.setMajorFunction(MajorFunctions.IRP_MJ_WRITE, (device, irp) -> write(services, irp));
    driver.setDriverUnload(NullDriver::unload);
    return NtStatus.STATUS_SUCCESS;
  }

  /** DriverUnload: deletes the one device DriverEntry created. */
  private static void unload(DriverObject driver) {
    DeviceObject device = driver.deviceObject();
    driver.services().deleteDevice(device);
  }

  private static NtStatus succeed(KernelServices services, Irp irp) {
    return complete(services, irp, NtStatus.STATUS_SUCCESS, 0);
  }

  private static NtStatus read(KernelServices services, Irp irp) {
    return complete(services, irp, NtStatus.STATUS_END_OF_FILE, 0);
  }

  private static NtStatus write(KernelServices services, Irp irp) {
    return complete(
        services, irp, NtStatus.STATUS_SUCCESS, irp.currentStackLocation().length());
  }

  private static NtStatus complete(
      KernelServices services, Irp irp, NtStatus status, long information) {
    irp.ioStatus().setStatus(status);
    irp.ioStatus().setInformation(information);
    services.completeRequest(irp, IoControlCodes.IO_NO_INCREMENT);
    return status;
  }
}
