package ntio.kernel.loader.testdrivers;

import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;

/** A driver whose static initializer throws. */
public class ThrowingStaticInitializerDriver implements DriverEntry {

  private static final int NEVER = refuse();

  private static int refuse() {
    throw new IllegalStateException("the static initializer refuses");
  }

  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    return NEVER == 0 ? NtStatus.STATUS_SUCCESS : NtStatus.STATUS_UNSUCCESSFUL;
  }
}
