package ntio.drivers.echo;

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
 * The Echo driver's image entry point ({@code Ntio-Driver-Entry} of {@code Echo.jar}).
 *
 * <p>Demonstrates a legacy driver with device-wide state and a DOS-visible name:
 *
 * <ul>
 *   <li>{@code \Device\Echo} ({@code FILE_DEVICE_UNKNOWN}, buffered I/O, not exclusive) whose
 *       device extension is the FIFO every open shares;
 *   <li>the symbolic link {@code \??\Echo} to it;
 *   <li>{@code IRP_MJ_WRITE} appends the caller's bytes ({@code Information} = the length) and
 *       completes the reads waiting for them;
 *       {@code IRP_MJ_READ} moves up to {@code Length} bytes from the FIFO's head
 *       ({@code Information} = the bytes moved) or, when the FIFO is empty, waits pending, with a
 *       cancel routine, until a write serves it, in arrival order;
 *       {@code IRP_MJ_CLEANUP} completes the reads still waiting on the closing file object with
 *       {@code STATUS_CANCELLED};
 *       {@code IRP_MJ_DEVICE_CONTROL} answers {@link EchoIoctl#IOCTL_ECHO_QUERY_AVAILABLE};
 *       create and close succeed;
 *   <li>a DriverEntry that deletes the device again if the link cannot be created, and a
 *       DriverUnload that deletes the link, then the device.
 * </ul>
 */
public final class EchoDriver implements DriverEntry {

  /** Called by the loader, once per load of the image. */
  public EchoDriver() {}

  /**
   * Creates {@code \Device\Echo} and {@code \??\Echo} and sets the dispatch routines and
   * DriverUnload. Models a legacy driver's {@code DriverEntry} (full).
   *
   * @return {@code STATUS_SUCCESS}; or the status of the failed {@code IoCreateDevice} (nothing
   *     was created) or of the failed {@code IoCreateSymbolicLink} (the device was deleted again)
   */
  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    KernelServices services = driver.services();
    DeviceResult created =
        services.createDevice(
            driver,
            new EchoFifo(EchoIoctl.FIFO_CAPACITY),
            UnicodeString.of(EchoIoctl.DEVICE_NAME),
            DeviceTypes.FILE_DEVICE_UNKNOWN,
            0,
            false);
    if (!created.status().isSuccess()) {
      return created.status();
    }
    DeviceObject device = created.device();
    device.setFlags(DeviceFlags.DO_BUFFERED_IO);

    NtStatus linked =
        services.createSymbolicLink(
            UnicodeString.of(EchoIoctl.LINK_NAME), UnicodeString.of(EchoIoctl.DEVICE_NAME));
    if (!linked.isSuccess()) {
      // DriverUnload will never run for a failed DriverEntry: undo the device here.
      services.deleteDevice(device);
      return linked;
    }

    EchoDispatch dispatch = new EchoDispatch(services);
    driver.setMajorFunction(MajorFunctions.IRP_MJ_CREATE, dispatch::succeed);
    driver.setMajorFunction(MajorFunctions.IRP_MJ_CLEANUP, dispatch::cleanup);
    driver.setMajorFunction(MajorFunctions.IRP_MJ_CLOSE, dispatch::succeed);
    driver.setMajorFunction(MajorFunctions.IRP_MJ_READ, dispatch::read);
    driver.setMajorFunction(MajorFunctions.IRP_MJ_WRITE, dispatch::write);
    driver.setMajorFunction(MajorFunctions.IRP_MJ_DEVICE_CONTROL, dispatch::deviceControl);
    driver.setDriverUnload(EchoDriver::unload);
    return NtStatus.STATUS_SUCCESS;
  }

  /**
   * DriverUnload: the link first, so that no new open can find the device by its DOS name while
   * it is being deleted, then the device. No read is waiting in the FIFO by now: a pending read
   * holds its file object, and the unload waits until the last one is closed.
   */
  private static void unload(DriverObject driver) {
    KernelServices services = driver.services();
    services.deleteSymbolicLink(UnicodeString.of(EchoIoctl.LINK_NAME));
    services.deleteDevice(driver.deviceObject());
  }
}
