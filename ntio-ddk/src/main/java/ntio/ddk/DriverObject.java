package ntio.ddk;

import java.util.Optional;

/**
 * A loaded driver. Models {@code DRIVER_OBJECT} (partial: no fast I/O table, no start I/O). The
 * kernel creates it, names it ({@code \Driver\<service>} or {@code \FileSystem\<service>}) before
 * DriverEntry runs, and deletes it when the driver has unloaded and its last device is gone.
 */
public interface DriverObject {

  /** {@code IO_TYPE_DRIVER}. */
  int TYPE = 4;

  /** {@code Type}, the {@code IO_TYPE_*} code: always {@link #TYPE}. */
  default int ioType() {
    return TYPE;
  }

  /** {@code Flags}: {@code DRVO_*}, see {@link DriverFlags}. */
  int flags();

  /** {@code DeviceObject}: the most recently created device, head of the list, or null. */
  DeviceObject deviceObject();

  /** {@code DriverExtension}. */
  DriverExtension driverExtension();

  /** {@code DriverName}, such as {@code \Driver\Echo}. */
  UnicodeString driverName();

  /**
   * {@code HardwareDatabase}: {@code \REGISTRY\MACHINE\HARDWARE\DESCRIPTION\SYSTEM}, NUL-terminated
   * ({@code MaximumLength} is {@code Length} + 2) as on Windows.
   */
  UnicodeString hardwareDatabase();

  /** {@code DriverInit}: the entry point, or null for a builtin driver. */
  DriverEntry driverInit();

  /** The path of the image the driver was loaded from; empty for a builtin driver. */
  Optional<String> imagePath();

  /**
   * The fields a driver fills in DriverEntry ({@code MajorFunction[]}, {@code DriverUnload}, its
   * extension's {@code AddDevice}), which the methods below read and write.
   */
  DriverDispatchTable dispatchTable();

  /** {@code DriverUnload}, or null while the driver has set none. */
  default DriverUnload driverUnload() {
    return dispatchTable().driverUnload();
  }

  /** Sets {@code DriverUnload}; null means the driver cannot be unloaded. */
  default void setDriverUnload(DriverUnload unload) {
    dispatchTable().setDriverUnload(unload);
  }

  /**
   * {@code MajorFunction[function]}. Before DriverEntry every entry is the kernel's default
   * handler, which fails the request with {@link NtStatus#STATUS_INVALID_DEVICE_REQUEST}; after it,
   * every entry the driver set to null is the default handler again.
   *
   * @throws IndexOutOfBoundsException outside {@code 0..IRP_MJ_MAXIMUM_FUNCTION}
   */
  default DispatchRoutine majorFunction(int function) {
    return dispatchTable().majorFunction(function);
  }

  /**
   * Sets {@code MajorFunction[function]}.
   *
   * @throws IndexOutOfBoundsException outside {@code 0..IRP_MJ_MAXIMUM_FUNCTION}
   */
  default void setMajorFunction(int function, DispatchRoutine routine) {
    dispatchTable().setMajorFunction(function, routine);
  }

  /**
   * The kernel services this image calls: its import table. Every call made through it is known
   * to come from this driver, so allocations are charged to it and the verifier can watch it.
   */
  KernelServices services();
}
