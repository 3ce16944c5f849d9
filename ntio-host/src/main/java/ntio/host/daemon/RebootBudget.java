package ntio.host.daemon;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * How many automatic reboots a host allows: at most {@code limit} within any {@code window}.
 * The bound behind "a crash never becomes a reboot loop": a driver that bug-checks in its boot
 * start is left out of the next boot, but one that bug-checks shortly after (a timer, a work
 * item, a client's first call) would otherwise reboot the kernel forever. Past the budget the
 * kernel stays halted, as with {@code AutoReboot} = 0, until the host is restarted. (Windows's
 * application restart refuses, for the same reason, to restart a process that ran under 60 s.)
 *
 * <p>Thread-safe.
 */
final class RebootBudget {

  /** The default: 3 automatic reboots in 10 minutes. */
  static final int DEFAULT_LIMIT = 3;

  /** The default window. */
  static final Duration DEFAULT_WINDOW = Duration.ofMinutes(10);

  private final int limit;
  private final Duration window;
  private final Clock clock;

  @GuardedBy("this")
  private final Deque<Instant> reboots = new ArrayDeque<>();

  RebootBudget(int limit, Duration window, Clock clock) {
    if (limit < 0 || window.isNegative()) {
      throw new IllegalArgumentException("a reboot budget of " + limit + " in " + window);
    }
    this.limit = limit;
    this.window = window;
    this.clock = clock;
  }

  /** The default budget, on the system clock. */
  static RebootBudget standard() {
    return new RebootBudget(DEFAULT_LIMIT, DEFAULT_WINDOW, Clock.systemUTC());
  }

  /** Takes one reboot from the budget: true when it is allowed, false when the budget is spent. */
  synchronized boolean take() {
    Instant now = clock.instant();
    while (!reboots.isEmpty() && !reboots.peekFirst().isAfter(now.minus(window))) {
      reboots.removeFirst();
    }
    if (reboots.size() >= limit) {
      return false;
    }
    reboots.addLast(now);
    return true;
  }

  /** Says the budget in words, for the log: {@code 3 in PT10M}. */
  @Override
  public String toString() {
    return limit + " automatic reboots in " + window.toMinutes() + " min";
  }
}
