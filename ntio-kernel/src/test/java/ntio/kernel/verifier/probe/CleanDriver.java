package ntio.kernel.verifier.probe;

import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.DriverUnload;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;

/** A driver that leaves nothing behind: its class loader must be collected after the unload. */
public final class CleanDriver implements DriverEntry, DriverUnload {

  /** The entry point's constructor. */
  public CleanDriver() {}

  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    driver.setDriverUnload(this);
    return NtStatus.STATUS_SUCCESS;
  }

  @Override
  public void unload(DriverObject driver) {
    // Nothing to undo.
  }
}
