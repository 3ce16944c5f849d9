package ntio.embedding;

import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;

/** A test driver whose DriverEntry stops the system: {@code KeBugCheckEx(MANUALLY_INITIATED_CRASH)}. */
public final class Crasher implements DriverEntry {

  /** {@code MANUALLY_INITIATED_CRASH}. */
  public static final int CODE = 0xE2;

  public Crasher() {}

  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    throw driver.services().bugCheckEx(CODE, 1, 2, 3, 4, "the embedder asked for it");
  }
}
