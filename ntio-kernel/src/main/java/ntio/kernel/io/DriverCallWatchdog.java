package ntio.kernel.io;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import ntio.kernel.executive.TimerQueue;

/**
 * Watches the driver routines whose hang freezes the driver database — DriverEntry and
 * DriverUnload, which run under the load lock — and says so: a call that runs past the limit is
 * logged at WARNING with the stack of the thread running it, once. The calls in progress are
 * listed for {@code sc query} (through the DRVO flags, which already say START_PENDING and
 * STOP_PENDING) and for the host's shutdown report. No NT counterpart (Windows' SCM gives a
 * service 30 s to start and logs event 7000/7009; the kernel does not time DriverEntry).
 *
 * <p>Thread-safe. The warnings run on a timer thread of their own, so a hung driver DPC on the
 * kernel's timer thread cannot silence them.
 */
public final class DriverCallWatchdog {

  /** The default limit: how long DriverEntry or DriverUnload may run before the warning. */
  public static final Duration DEFAULT_LIMIT = Duration.ofSeconds(10);

  private static final System.Logger LOG = System.getLogger(DriverCallWatchdog.class.getName());

  /**
   * One call into a driver's DriverEntry or DriverUnload.
   *
   * @param driver the driver object's name ({@code \Driver\Echo})
   * @param service the service that loaded it
   * @param routine {@code DriverEntry} or {@code DriverUnload}
   * @param thread the thread running it
   * @param started when it was called
   */
  public record DriverCall(String driver, String service, String routine, Thread thread,
      Instant started) {

    /** The call and its thread's stack now, for a log or a report. */
    public String describeWithStack() {
      return routine + " of " + driver + " (service " + service + "), running since " + started
          + " on thread " + thread.getName() + ":" + Arrays.stream(thread.getStackTrace())
              .map(frame -> "\n\tat " + frame).collect(Collectors.joining());
    }
  }

  private final Duration limit;
  private final InstantSource clock;
  private final TimerQueue timer;
  private final AtomicLong ids = new AtomicLong();
  private final ConcurrentHashMap<Long, DriverCall> inProgress = new ConcurrentHashMap<>();

  DriverCallWatchdog(Duration limit, InstantSource clock, ThreadFactory threads) {
    if (limit.isNegative() || limit.isZero()) {
      throw new IllegalArgumentException("the driver call limit must be positive: " + limit);
    }
    this.limit = limit;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.timer = new TimerQueue(threads);
  }

  /** How long a call may run before it is reported. */
  public Duration limit() {
    return limit;
  }

  /** A call begun on the current thread; close the watch when it returns or throws. */
  Watch watch(KernelDriverObject driver, String routine) {
    long id = ids.incrementAndGet();
    DriverCall call = new DriverCall(driver.driverName().text(), driver.serviceName(), routine,
        Thread.currentThread(), clock.instant());
    inProgress.put(id, call);
    ScheduledFuture<?> warning = timer.schedule(() -> warn(id), limit.toNanos(), 0);
    return new Watch(id, warning);
  }

  private void warn(long id) {
    DriverCall call = inProgress.get(id);
    if (call != null) {
      LOG.log(Level.WARNING, "{0} has run for more than {1} ms; loads and unloads wait for it: {2}",
          call.routine() + " of " + call.driver(), Long.toString(limit.toMillis()),
          call.describeWithStack());
    }
  }

  /**
   * The DriverEntry and DriverUnload calls running now, oldest first. Calls that finished are not
   * listed, whether they ran long or not.
   */
  public List<DriverCall> inProgress() {
    return inProgress.values().stream().sorted(Comparator.comparing(DriverCall::started)).toList();
  }

  /** The calls in progress that have run past the limit, oldest first. */
  public List<DriverCall> overdue() {
    Instant due = clock.instant().minus(limit);
    return inProgress().stream().filter(call -> call.started().isBefore(due)).toList();
  }

  /** Stops the timer: no more warnings. Idempotent. */
  void shutdown() {
    timer.shutdown();
  }

  /** One watched call; closing it ends the watch. */
  final class Watch implements AutoCloseable {
    private final long id;
    private final ScheduledFuture<?> warning;

    private Watch(long id, ScheduledFuture<?> warning) {
      this.id = id;
      this.warning = warning;
    }

    @Override
    public void close() {
      inProgress.remove(id);
      if (warning != null) {
        warning.cancel(false);
      }
    }
  }
}
