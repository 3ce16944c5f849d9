package ntio.kernel.executive;

import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The kernel's timer queue: where set timers wait for their due time, and the thread their
 * deferred procedure calls run on. Models the {@code KiTimerTableListHead} and the DPC queue of
 * one processor (partial: one thread, no DPC importance or targeting).
 *
 * <p>Thread-safe. The thread is started on the first timer set and ends at {@link #shutdown()}.
 */
public final class TimerQueue {

  private final ScheduledThreadPoolExecutor scheduler;

  /** @param threadFactory makes the DPC thread; a System thread in a kernel */
  public TimerQueue(ThreadFactory threadFactory) {
    this.scheduler = new ScheduledThreadPoolExecutor(1, Objects.requireNonNull(threadFactory, "threadFactory"));
    scheduler.setRemoveOnCancelPolicy(true);
    scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    scheduler.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
  }

  /**
   * Queues {@code expiry} to run {@code dueNanos} from now, then every {@code periodNanos} if that
   * is positive. Models inserting a timer into the timer table ({@code KiInsertTreeTimer}).
   *
   * @return the queued timer, which {@link ScheduledFuture#cancel} takes out; null after shutdown
   */
  public ScheduledFuture<?> schedule(Runnable expiry, long dueNanos, long periodNanos) {
    Objects.requireNonNull(expiry, "expiry");
    if (scheduler.isShutdown()) {
      return null;
    }
    long due = Math.max(0, dueNanos);
    try {
      return periodNanos > 0
          ? scheduler.scheduleAtFixedRate(expiry, due, periodNanos, TimeUnit.NANOSECONDS)
          : scheduler.schedule(expiry, due, TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.RejectedExecutionException shutDown) {
      return null;
    }
  }

  /** Stops the queue: timers still set never expire. Idempotent. */
  public void shutdown() {
    scheduler.shutdownNow();
  }
}
