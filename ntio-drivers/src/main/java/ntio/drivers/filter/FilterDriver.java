package ntio.drivers.filter;

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
 * The Filter driver's image entry point ({@code Ntio-Driver-Entry} of {@code Filter.jar}).
 *
 * <p>Demonstrates a legacy filter driver on top of Echo: an unnamed device attached to
 * {@code \Device\Echo} by name, so every request sent to Echo's stack reaches the filter first;
 * one pass-through routine for every major function that counts the request and hands it down,
 * with a completion routine for reads and writes that counts the bytes they moved; two private
 * control codes, {@link FilterIoctl#IOCTL_FILTER_QUERY_COUNTS} and {@link
 * FilterIoctl#IOCTL_FILTER_QUERY_BYTES}, answered without bothering Echo; and a DriverUnload that
 * detaches from Echo before deleting its device. Loaded
 * without Echo, DriverEntry deletes its device and fails with the status of the name lookup.
 *
 * <p>The device below is the one {@code IoAttachDevice} returns: not referenced, as in NT, so the
 * filter never dereferences it.
 */
public final class FilterDriver implements DriverEntry {

  /** Called by the loader, once per load of the image. */
  public FilterDriver() {}

  /**
   * Creates the filter device, attaches it on top of {@code \Device\Echo}, copies Echo's buffering
   * flags and sets the dispatch routines and DriverUnload. Models a legacy filter's
   * {@code DriverEntry} (full).
   *
   * @return {@code STATUS_SUCCESS}; or the status of the failed {@code IoCreateDevice} (nothing was
   *     created) or of the failed {@code IoAttachDevice} (the device was deleted again), such as
   *     {@code STATUS_OBJECT_NAME_NOT_FOUND} when Echo is not loaded
   */
  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    KernelServices services = driver.services();
    // The table is filled before the attach: from the attach on, requests to Echo come here.
    FilterDispatch dispatch = new FilterDispatch(services);
    for (int function = 0; function <= MajorFunctions.IRP_MJ_MAXIMUM_FUNCTION; function++) {
      driver.setMajorFunction(function, dispatch::passThrough);
    }

    DeviceResult created =
        services.createDevice(
            driver, new FilterCounters(), null, DeviceTypes.FILE_DEVICE_UNKNOWN, 0, false);
    if (!created.status().isSuccess()) {
      return created.status();
    }
    DeviceObject device = created.device();

    DeviceResult attached =
        services.attachDevice(device, UnicodeString.of(FilterIoctl.TARGET_DEVICE_NAME));
    if (!attached.status().isSuccess()) {
      // DriverUnload will never run for a failed DriverEntry: undo the device here.
      services.deleteDevice(device);
      return attached.status();
    }
    DeviceObject lower = attached.device();
    // The I/O manager buffers requests as the top of the stack says: match the device below.
    device.setFlags(lower.flags() & (DeviceFlags.DO_BUFFERED_IO | DeviceFlags.DO_DIRECT_IO));
    device.clearFlags(DeviceFlags.DO_DEVICE_INITIALIZING);

    driver.setDriverUnload(FilterDriver::unload);
    return NtStatus.STATUS_SUCCESS;
  }

  /** DriverUnload: off Echo's stack first, so no new request reaches the device, then delete it. */
  private static void unload(DriverObject driver) {
    KernelServices services = driver.services();
    DeviceObject device = driver.deviceObject();
    services.detachDevice(device.deviceObjectExtension().attachedTo());
    services.deleteDevice(device);
  }
}
