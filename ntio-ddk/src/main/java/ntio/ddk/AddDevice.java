package ntio.ddk;

/**
 * A PnP driver's AddDevice routine. Models {@code DRIVER_ADD_DEVICE} (partial: ntio has no PnP
 * manager yet, so nothing calls it; a driver that sets it declares itself PnP-aware).
 */
@FunctionalInterface
public interface AddDevice {

  /** Creates the driver's device for a physical device object and attaches it. */
  NtStatus addDevice(DriverObject driver, DeviceObject physicalDevice);
}
