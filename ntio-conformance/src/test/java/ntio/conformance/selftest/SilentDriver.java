package ntio.conformance.selftest;

import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.DriverUnload;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;

/** A driver for the harness's own test that loads and unloads and records no check at all. */
public final class SilentDriver implements DriverEntry, DriverUnload {

  public SilentDriver() {}

  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    driver.setDriverUnload(this);
    return NtStatus.STATUS_SUCCESS;
  }

  @Override
  public void unload(DriverObject driver) {
    // Nothing to release.
  }
}
