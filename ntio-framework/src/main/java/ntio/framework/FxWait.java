package ntio.framework;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The framework's bounded wait. Models {@code FX_DRIVER_GLOBALS::WaitForSignal} (S10): a wait for
 * a work item's or a timer's callback, or for the driver's outstanding framework work at teardown,
 * that reports each time it has lasted {@code DbgWaitForSignalTimeoutInSec} and then waits on.
 *
 * <p>The report is V-KMDF-20, made at the wait itself, while it is still waiting: it names the
 * waiting thread, what it waits for and the object, as KMDF's "Thread 0x… is waiting for … 0x…"
 * does, followed by its DbgBreak. The wait is never abandoned: the thing waited for is the
 * driver's code, and going on without it would let that code run after its object (or image) is
 * gone. [MODEL] KMDF's work-item flush uses a fixed 60 s and only prints; ntio applies the
 * driver's {@code DbgWaitForSignalTimeoutInSec} to every framework wait, as the spec's V-KMDF-20
 * says (a flush or a rundown).
 */
final class FxWait {

  private FxWait() {}

  /**
   * Waits on the driver's tree lock, which the caller holds, until {@code done}; every {@link
   * WdfVerifierSettings#waitTimeoutSeconds()} without it, reports V-KMDF-20 and waits again. With
   * a timeout of 0 it waits without reporting. An interrupt does not end the wait; it is restored
   * afterwards.
   *
   * @param waitingFor what the thread waits for, with the object, as the report says it
   */
  static void waitLocked(FxGlobals globals, BooleanSupplier done, Supplier<String> waitingFor) {
    assert Thread.holdsLock(globals.treeLock) : "tree lock not held";
    int seconds = globals.settings.waitTimeoutSeconds();
    long timeout = TimeUnit.SECONDS.toNanos(seconds);
    boolean interrupted = false;
    long since = System.nanoTime();
    while (!done.getAsBoolean()) {
      long left = timeout - (System.nanoTime() - since);
      if (seconds > 0 && left <= 0) {
        globals.verifierBreak("V-KMDF-20", "thread \"" + Thread.currentThread().getName() + "\" has waited "
            + seconds + " s (DbgWaitForSignalTimeoutInSec) " + waitingFor.get() + "; it waits on");
        since = System.nanoTime();
        continue;
      }
      try {
        if (seconds > 0) {
          TimeUnit.NANOSECONDS.timedWait(globals.treeLock, left);
        } else {
          globals.treeLock.wait();
        }
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
