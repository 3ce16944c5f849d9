package ntio.kernel.verifier.probe;

import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.DriverUnload;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;

/**
 * A driver that starts a plain Java thread in DriverEntry and forgets it in DriverUnload: the
 * thread runs the image's code, so it keeps the image's class loader reachable. The thread sleeps
 * until it is interrupted (the test's signal: no static state), then ends.
 */
public final class ThreadLeavingDriver implements DriverEntry, DriverUnload {

  /** The thread's name, which the verifier's finding must show. */
  public static final String THREAD_NAME = "probe-lingerer";

  /** The entry point's constructor. */
  public ThreadLeavingDriver() {}

  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    Thread lingerer = new Thread(new Lingerer(), THREAD_NAME);
    lingerer.setDaemon(true);
    lingerer.start();
    driver.setDriverUnload(this);
    return NtStatus.STATUS_SUCCESS;
  }

  @Override
  public void unload(DriverObject driver) {
    // The bug under test: the thread is not stopped.
  }

  /** What the thread runs: sleeps until interrupted. */
  static final class Lingerer implements Runnable {
    @Override
    public void run() {
      try {
        while (true) {
          Thread.sleep(60_000);
        }
      } catch (InterruptedException e) {
        // The signal to end.
      }
    }
  }
}
