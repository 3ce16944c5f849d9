package ntio.kernel.io.loadtests.ctorthrows;

import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;

/**
 * A driver image whose entry class cannot be created: its constructor throws, naming the thread
 * it ran on between brackets so that a test can find that thread again.
 */
public final class ThrowingConstructorDriver implements DriverEntry {

  /** The text before the thread's name in the exception's message. */
  public static final String THREAD_MARK = "[thread=";

  /** Always throws. */
  public ThrowingConstructorDriver() {
    throw new IllegalStateException("the entry class refuses to be created "
        + THREAD_MARK + Thread.currentThread().getName() + "]");
  }

  /** Never reached: the constructor throws. */
  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    return NtStatus.STATUS_SUCCESS;
  }
}
