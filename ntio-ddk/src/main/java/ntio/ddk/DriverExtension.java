package ntio.ddk;

/** Models {@code DRIVER_EXTENSION} (partial). */
public interface DriverExtension {

  /** {@code DriverObject}: the driver this extension belongs to. */
  DriverObject driverObject();

  /** {@code AddDevice}, or null. */
  AddDevice addDevice();

  /** Sets {@code AddDevice}. */
  void setAddDevice(AddDevice addDevice);

  /** {@code Count}: how many times reinitialization routines have been called. */
  int count();

  /** {@code ServiceKeyName}: the service's name, as the registry spells it. */
  UnicodeString serviceKeyName();
}
