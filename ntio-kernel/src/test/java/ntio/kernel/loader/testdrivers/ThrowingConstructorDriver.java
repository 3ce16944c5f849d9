package ntio.kernel.loader.testdrivers;

import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;

/** A driver whose constructor throws. */
public class ThrowingConstructorDriver implements DriverEntry {

  /** Always throws. */
  public ThrowingConstructorDriver() {
    throw new IllegalStateException("the constructor refuses");
  }

  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    return NtStatus.STATUS_SUCCESS;
  }
}
