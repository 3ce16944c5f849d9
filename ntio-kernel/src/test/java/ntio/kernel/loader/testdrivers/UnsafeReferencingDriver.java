package ntio.kernel.loader.testdrivers;

import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;

/** A driver that names sun.misc.Unsafe only in a method's signature. */
public class UnsafeReferencingDriver implements DriverEntry {

  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    return NtStatus.STATUS_SUCCESS;
  }

  /** Never called; its descriptor is the point. */
  static Object keep(sun.misc.Unsafe unsafe) {
    return unsafe;
  }
}
