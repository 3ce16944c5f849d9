package ntio.framework;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import ntio.ddk.NtStatus;

/**
 * {@code WDFWAITLOCK}: a lock whose waiter blocks, taken at PASSIVE_LEVEL (or, with a zero timeout,
 * tried at up to DISPATCH_LEVEL). Models {@code FxWaitLock} (a synchronization event in a critical
 * region; partial: a Java semaphore stands in for the event, so that the lock does not depend on
 * the kernel's dispatcher). Not recursive: a holder that acquires it again waits for itself, and
 * with a timeout gets {@code STATUS_TIMEOUT}, as on NT.
 */
public final class WdfWaitLock extends WdfObject {

  private final Semaphore lock = new Semaphore(1);

  WdfWaitLock(FxGlobals globals, FxPool.Allocation allocation, WdfObjectAttributes attributes) {
    super(globals, WdfHandleType.WDFWAITLOCK, allocation, attributes);
  }

  /**
   * Takes the lock, waiting at most {@code timeout} (null: without limit).
   *
   * @return {@code STATUS_SUCCESS}, or {@code STATUS_TIMEOUT} when it stayed held
   */
  NtStatus acquire(Duration timeout) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          if (timeout == null) {
            lock.acquire();
            return NtStatus.STATUS_SUCCESS;
          }
          return lock.tryAcquire(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS)
              ? NtStatus.STATUS_SUCCESS : NtStatus.STATUS_TIMEOUT;
        } catch (InterruptedException e) {
          // A kernel wait on behalf of a driver is not alertable: wait on.
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  void release() {
    lock.release();
  }
}
