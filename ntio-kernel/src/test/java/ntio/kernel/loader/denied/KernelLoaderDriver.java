package ntio.kernel.loader.denied;

import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;

/** Asks a kernel object for its class loader, which sees every kernel class. */
public class KernelLoaderDriver implements DriverEntry {

  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    try {
      driver.getClass().getClassLoader().loadClass("ntio.kernel.Kernel");
      return NtStatus.STATUS_SUCCESS;
    } catch (ClassNotFoundException e) {
      return NtStatus.STATUS_UNSUCCESSFUL;
    }
  }
}
