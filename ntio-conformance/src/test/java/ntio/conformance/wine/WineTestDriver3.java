package ntio.conformance.wine;

import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;

/**
 * Port of Wine's {@code dlls/ntoskrnl.exe/tests/driver3.c} (wine-mirror/wine): a DriverEntry that
 * fails with STATUS_NOT_IMPLEMENTED, so that the driver must fail to start (test_driver3).
 */
public final class WineTestDriver3 implements DriverEntry {

  public WineTestDriver3() {}

  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    return NtStatus.STATUS_NOT_IMPLEMENTED;
  }
}
