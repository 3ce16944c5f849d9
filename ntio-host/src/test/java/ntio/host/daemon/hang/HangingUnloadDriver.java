package ntio.host.daemon.hang;

import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.DriverUnload;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;

/**
 * A test driver whose DriverUnload does not return until the JVM's system property {@value
 * #RELEASE} is {@code true} (or a minute has passed): a hung unload at host shutdown.
 */
public final class HangingUnloadDriver implements DriverEntry, DriverUnload {

  /** The property a test sets to let DriverUnload return. */
  public static final String RELEASE = "ntio.test.hangingUnload.release";

  public HangingUnloadDriver() {}

  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    driver.setDriverUnload(this);
    return NtStatus.STATUS_SUCCESS;
  }

  @Override
  public void unload(DriverObject driver) {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!Boolean.getBoolean(RELEASE) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
