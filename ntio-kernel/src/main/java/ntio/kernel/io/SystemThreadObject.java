package ntio.kernel.io;

import ntio.ddk.NtStatus;
import ntio.ddk.SystemThread;

/**
 * A thread a driver started with {@code PsCreateSystemThread}: a System thread running the
 * driver's routine, listed in its image's {@link ImageResources} until it ends.
 */
final class SystemThreadObject implements SystemThread {

  private final Thread thread;
  private final String routine;
  private final long address;

  SystemThreadObject(Thread thread, String routine, long address) {
    this.thread = thread;
    this.routine = routine;
    this.address = address;
  }

  long address() {
    return address;
  }

  String describe() {
    return "System thread \"" + thread.getName() + "\" running " + routine;
  }

  @Override
  public NtStatus await(long timeoutMillis) {
    try {
      thread.join(Math.max(1, timeoutMillis));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return NtStatus.STATUS_ALERTED;
    }
    return thread.isAlive() ? NtStatus.STATUS_TIMEOUT : NtStatus.STATUS_SUCCESS;
  }

  @Override
  public boolean isAlive() {
    return thread.isAlive();
  }
}
