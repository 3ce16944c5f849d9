package ntio.conformance.wine;

import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.DriverUnload;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;

/**
 * Port of Wine's {@code dlls/ntoskrnl.exe/tests/driver2.c} (wine-mirror/wine): the second driver,
 * which the first loads and unloads (test_load_driver); it only sets an unload routine.
 */
public final class WineTestDriver2 implements DriverEntry, DriverUnload {

  public WineTestDriver2() {}

  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    driver.setDriverUnload(this);
    return NtStatus.STATUS_SUCCESS;
  }

  @Override
  public void unload(DriverObject driver) {
    // driver2.c's unload only prints.
  }
}
