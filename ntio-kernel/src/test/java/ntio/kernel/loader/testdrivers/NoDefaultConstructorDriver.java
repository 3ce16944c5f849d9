package ntio.kernel.loader.testdrivers;

import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;

/** A driver with no public no-argument constructor. */
public class NoDefaultConstructorDriver implements DriverEntry {

  private final int value;

  /** The only constructor takes an argument. */
  public NoDefaultConstructorDriver(int value) {
    this.value = value;
  }

  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    return value == 0 ? NtStatus.STATUS_SUCCESS : NtStatus.STATUS_UNSUCCESSFUL;
  }
}
