package ntio.kernel.pnp;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import ntio.ddk.NtStatus;

/**
 * The PnP worker: one System thread on which every PnP action runs, one at a time, in the order
 * queued, as NT's PnP engine serializes device actions ({@code PipDeviceActionWorker}):
 * enumeration and removal never run concurrently, and a devnode's state has one writer.
 *
 * <p>A caller on another thread waits for its action; a caller already on the worker (a driver
 * calling back from a PnP IRP) runs its action inline rather than deadlocking on itself.
 */
final class PnpWorker {

  private final ExecutorService executor;
  private volatile Thread thread;

  PnpWorker(ThreadFactory systemThreads) {
    this.executor = Executors.newSingleThreadExecutor(runnable -> systemThreads.newThread(() -> {
      thread = Thread.currentThread();
      runnable.run();
    }));
  }

  /** Whether the calling thread is the worker. */
  boolean onWorker() {
    return Thread.currentThread() == thread;
  }

  /**
   * Runs {@code action} on the worker and returns its result; {@code refused} when the worker is
   * shut down.
   */
  <T> T call(Callable<T> action, T refused) {
    if (onWorker()) {
      return run(action);
    }
    CompletableFuture<T> future;
    try {
      future = CompletableFuture.supplyAsync(() -> run(action), executor);
    } catch (RejectedExecutionException e) {
      return refused;
    }
    try {
      return future.join();
    } catch (CompletionException e) {
      // run() lets only unchecked throwables out: a bug check, an ntio bug.
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw (RuntimeException) e.getCause();
    }
  }

  /** Queues {@code action}; never waits. Returns STATUS_SYSTEM_SHUTDOWN when the worker is gone. */
  NtStatus post(Runnable action) {
    try {
      executor.execute(action);
      return NtStatus.STATUS_SUCCESS;
    } catch (RejectedExecutionException e) {
      return NtStatus.STATUS_SYSTEM_SHUTDOWN;
    }
  }

  private static <T> T run(Callable<T> action) {
    try {
      return action.call();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Stops taking actions and waits at most {@code timeout} for the queued ones. */
  void shutdown(Duration timeout) {
    executor.shutdown();
    try {
      executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
