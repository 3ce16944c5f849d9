package ntio.ddk;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The fields of {@code DRIVER_OBJECT} a driver fills in DriverEntry, written once: {@code
 * MajorFunction[]}, {@code DriverUnload}, and its {@code DRIVER_EXTENSION}'s {@code AddDevice}.
 * The kernel's driver objects and the DDK test kit's hold one; {@link DriverObject} and {@link
 * DriverExtension} read and write it through their default methods.
 *
 * <p>The driver writes them without a lock (as in NT), from any thread: every field is volatile
 * or atomic.
 */
public final class DriverDispatchTable {

  private final AtomicReferenceArray<DispatchRoutine> majorFunctions =
      new AtomicReferenceArray<>(MajorFunctions.IRP_MJ_MAXIMUM_FUNCTION + 1);
  private volatile DriverUnload driverUnload;
  private volatile AddDevice addDevice;

  /** A table with every major function {@code defaultHandler}, and no unload or AddDevice routine. */
  public DriverDispatchTable(DispatchRoutine defaultHandler) {
    for (int i = 0; i < majorFunctions.length(); i++) {
      majorFunctions.set(i, defaultHandler);
    }
  }

  /**
   * {@code MajorFunction[function]}.
   *
   * @throws IndexOutOfBoundsException outside {@code 0..IRP_MJ_MAXIMUM_FUNCTION}
   */
  public DispatchRoutine majorFunction(int function) {
    return majorFunctions.get(function);
  }

  /**
   * Sets {@code MajorFunction[function]}, null included.
   *
   * @throws IndexOutOfBoundsException outside {@code 0..IRP_MJ_MAXIMUM_FUNCTION}
   */
  public void setMajorFunction(int function, DispatchRoutine routine) {
    majorFunctions.set(function, routine);
  }

  /** Makes every entry left null {@code defaultHandler} again, as the I/O manager does after DriverEntry. */
  public void replaceNullEntries(DispatchRoutine defaultHandler) {
    for (int i = 0; i < majorFunctions.length(); i++) {
      majorFunctions.compareAndSet(i, null, defaultHandler);
    }
  }

  /** {@code DriverUnload}, or null. */
  public DriverUnload driverUnload() {
    return driverUnload;
  }

  /** Sets {@code DriverUnload}. */
  public void setDriverUnload(DriverUnload unload) {
    this.driverUnload = unload;
  }

  /** {@code DriverExtension->AddDevice}, or null. */
  public AddDevice addDevice() {
    return addDevice;
  }

  /** Sets {@code DriverExtension->AddDevice}. */
  public void setAddDevice(AddDevice addDevice) {
    this.addDevice = addDevice;
  }
}
