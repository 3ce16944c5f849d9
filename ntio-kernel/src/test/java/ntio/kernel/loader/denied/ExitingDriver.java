package ntio.kernel.loader.denied;

import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;

/** Ends the host from DriverEntry: the accident the image policy exists for. */
public class ExitingDriver implements DriverEntry {

  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    System.exit(1);
    return NtStatus.STATUS_SUCCESS;
  }
}
