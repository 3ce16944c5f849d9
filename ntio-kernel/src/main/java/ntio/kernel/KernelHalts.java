package ntio.kernel;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import ntio.api.KernelHalt;
import ntio.kernel.executive.BugCheck;
import ntio.kernel.executive.CrashHandler;

/**
 * The halt of one kernel, told: runs its crash handler, keeps what the halt was ({@link
 * KernelHalt}: the bug check and its report's id) and calls the listeners once, in order, on the
 * thread that raised the bug check, after the report was written. What a host logs and reboots
 * on, what the daemon tells its clients, what an embedder's listener gets.
 *
 * <p>Implementation notes: guarded by {@code this}; listeners are called with no lock held, so a
 * listener may ask {@link #halt()} or add another.
 */
final class KernelHalts {

  private final CrashHandler handler;
  private final java.util.function.UnaryOperator<String> imageOf;

  @GuardedBy("this")
  private KernelHalt halt;

  @GuardedBy("this")
  private final List<Consumer<KernelHalt>> listeners = new ArrayList<>();

  /**
   * @param handler the crash handler, which may name the report it wrote through {@link
   *     ReportingCrashHandler}
   * @param imageOf the image file of the driver a bug check names (a service name or an image name)
   */
  KernelHalts(CrashHandler handler, java.util.function.UnaryOperator<String> imageOf) {
    this.handler = handler;
    this.imageOf = imageOf;
  }

  /** A crash handler that says which report it wrote: the kernel's default writer does. */
  interface ReportingCrashHandler extends CrashHandler {

    /** Writes the report and returns its id. */
    String report(BugCheck bugCheck);

    @Override
    default void onBugCheck(BugCheck bugCheck) {
      report(bugCheck);
    }
  }

  /** Runs the handler for the first bug check of this kernel, records the halt, tells the listeners. */
  void onBugCheck(BugCheck bugCheck) {
    String reportId = "";
    try {
      if (handler instanceof ReportingCrashHandler reporting) {
        reportId = reporting.report(bugCheck);
      } else {
        handler.onBugCheck(bugCheck);
      }
    } finally {
      String driver = bugCheck.driver() == null ? "" : bugCheck.driver();
      KernelHalt told = new KernelHalt(CrashDumps.report(bugCheck), driver.isEmpty() ? "" : imageOf.apply(driver),
          reportId);
      List<Consumer<KernelHalt>> toCall;
      synchronized (this) {
        halt = told;
        toCall = List.copyOf(listeners);
        notifyAll();
      }
      for (Consumer<KernelHalt> listener : toCall) {
        listener.accept(told);
      }
    }
  }

  /** The halt, once the handler has run; empty before. */
  synchronized Optional<KernelHalt> halt() {
    return Optional.ofNullable(halt);
  }

  /**
   * The halt, waiting at most {@code timeout} for the crash handler of a bug check already raised
   * to finish (it writes and forces the report). Empty when it did not finish in time.
   */
  synchronized Optional<KernelHalt> awaitHalt(java.time.Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (halt == null) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return Optional.empty();
      }
      java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return Optional.of(halt);
  }

  /**
   * Calls {@code listener} when the kernel halts, or now (on this thread) when it already has.
   */
  void listen(Consumer<KernelHalt> listener) {
    KernelHalt already;
    synchronized (this) {
      already = halt;
      if (already == null) {
        listeners.add(listener);
      }
    }
    if (already != null) {
      listener.accept(already);
    }
  }
}
