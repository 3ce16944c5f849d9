package ntio.kernel.loader.testdrivers;

import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;

/** A driver that needs a second top-level class of its own image. */
public class HelperUsingDriver implements DriverEntry {

  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    return DriverHelper.answer();
  }
}
