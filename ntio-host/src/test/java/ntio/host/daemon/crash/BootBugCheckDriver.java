package ntio.host.daemon.crash;

import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;

/** A start driver whose DriverEntry stops the system: {@code KeBugCheckEx(MANUALLY_INITIATED_CRASH)}. */
public final class BootBugCheckDriver implements DriverEntry {

  /** {@code MANUALLY_INITIATED_CRASH}. */
  public static final int CODE = 0xE2;

  public BootBugCheckDriver() {}

  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    throw driver.services().bugCheckEx(CODE, 1, 2, 3, 4, "this driver crashes at every boot");
  }
}
