package ntio.ddk;

/**
 * A PnP driver's AddDevice routine. Models {@code DRIVER_ADD_DEVICE} (full): the PnP manager
 * calls it with the PDO of each device the driver serves (as a filter or the function driver),
 * in NT's order (B41); it creates its device and attaches it on top of the PDO's stack.
 */
@FunctionalInterface
public interface AddDevice {

  /** Creates the driver's device for a physical device object and attaches it. */
  NtStatus addDevice(DriverObject driver, DeviceObject physicalDevice);
}
