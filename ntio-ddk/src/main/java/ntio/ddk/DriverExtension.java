package ntio.ddk;

/** Models {@code DRIVER_EXTENSION} (partial). */
public interface DriverExtension {

  /** {@code DriverObject}: the driver this extension belongs to. */
  DriverObject driverObject();

  /** {@code AddDevice}, or null. */
  default AddDevice addDevice() {
    return driverObject().dispatchTable().addDevice();
  }

  /** Sets {@code AddDevice}. */
  default void setAddDevice(AddDevice addDevice) {
    driverObject().dispatchTable().setAddDevice(addDevice);
  }

  /** {@code Count}: how many times reinitialization routines have been called. */
  int count();

  /** {@code ServiceKeyName}: the service's name, as the registry spells it. */
  UnicodeString serviceKeyName();
}
