package ntio.host.daemon;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Runs the part of a host's shutdown that calls driver code on a thread of its own, and waits for
 * it at most the grace period: a driver whose DriverUnload (or shutdown dispatch routine) never
 * returns must not hold the host — or a SIGTERM — for ever. No NT counterpart (Windows' SCM waits
 * {@code WaitToKillServiceTimeout} for services at shutdown, then goes on).
 *
 * <p>The thread is a daemon: if the grace period runs out it is left running driver code, and
 * must not keep the JVM alive.
 */
final class DriverPhase {

  private DriverPhase() {}

  /**
   * Runs {@code work}; returns its result, or, if it is still running after {@code grace}, what
   * {@code onTimeout} makes of the thread running it and the grace period.
   *
   * @throws RuntimeException what {@code work} threw
   */
  static <T> T run(Supplier<T> work, Duration grace, BiFunction<Thread, Duration, T> onTimeout) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      try {
        result.complete(work.get());
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    }, "ntio-host-stopping");
    thread.setDaemon(true);
    thread.start();
    try {
      return result.get(grace.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      return onTimeout.apply(thread, grace);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return onTimeout.apply(thread, grace);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(e.getCause());
    }
  }
}
