package ntio.conformance.wine;

import java.time.Duration;
import ntio.ddk.NtStatus;

/**
 * The kernel half's stand-in for an event made with {@code ZwCreateEvent(SynchronizationEvent)}
 * (ntio gives drivers no dispatcher objects): {@link #set} signals it, and one {@link #waitFor}
 * consumes the signal (auto-reset), answering STATUS_SUCCESS or, after the limit, STATUS_TIMEOUT,
 * as {@code ZwWaitForSingleObject} does. Packed into the driver image.
 */
final class WinePnpEvent {

  private boolean signalled;

  /** {@code ZwSetEvent}. */
  synchronized NtStatus set() {
    signalled = true;
    notifyAll();
    return NtStatus.STATUS_SUCCESS;
  }

  /** {@code ZwWaitForSingleObject(event, TRUE, -limit)}. */
  synchronized NtStatus waitFor(Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!signalled) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return NtStatus.STATUS_TIMEOUT;
      }
      try {
        wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return NtStatus.STATUS_ALERTED;
      }
    }
    signalled = false;
    return NtStatus.STATUS_SUCCESS;
  }
}
