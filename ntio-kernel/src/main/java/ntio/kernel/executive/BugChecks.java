package ntio.kernel.executive;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The bug-check facility of one kernel instance: {@code KeBugCheckEx}.
 *
 * <p>{@link #raise} records a bug check, halts the kernel, hands the first bug check to the crash
 * handler and throws {@link BugCheckException} so that the raising thread unwinds. The first bug
 * check wins: one raised while the kernel is already halted (by this or any other thread) is kept
 * as a secondary record, but the handler is not called again.
 *
 * <p>Thread-safe. No lock is held while the handler runs.
 */
public final class BugChecks {

  /*
   * Implementation notes:
   *
   * The halted state is the `first` reference: null while the machine runs, the winning record
   * once halted. compareAndSet decides the winner, so two threads raising at the same time agree
   * on one first bug check and exactly one of them runs the handler. Secondary bug checks only
   * matter for diagnosis, so they are kept up to a bound: a broken kernel that keeps raising in a
   * loop must not exhaust memory.
   */

  /** How many secondary bug checks are kept; later ones are only counted. */
  static final int MAX_SECONDARY = 64;

  private final Clock clock;
  private final AtomicLong sequence = new AtomicLong();

  /** Null while running; the first bug check once halted. Written once, by compareAndSet. */
  private final AtomicReference<BugCheck> first = new AtomicReference<>();

  private final Object secondaryLock = new Object();

  @GuardedBy("secondaryLock")
  private final List<BugCheck> secondary = new ArrayList<>();

  @GuardedBy("secondaryLock")
  private long secondaryCount;

  /** Replaced by {@link #setHandler}; read once per first bug check. */
  private volatile CrashHandler handler;

  /**
   * A running kernel's bug-check facility with {@code handler} installed, on the system clock.
   *
   * <p>Models the bug-check state initialized at boot ({@code KeBugCheckActive} clear) (full).
   */
  public BugChecks(CrashHandler handler) {
    this(handler, Clock.systemUTC());
  }

  /**
   * A running kernel's bug-check facility whose records are stamped by {@code clock}.
   *
   * <p>Models the bug-check state initialized at boot (full).
   */
  public BugChecks(CrashHandler handler, Clock clock) {
    this.handler = Objects.requireNonNull(handler, "handler");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Installs the handler that receives the first bug check, replacing the previous one.
   *
   * <p>Models setting the crash-dump and restart policy (partial: the handler is the policy).
   */
  public void setHandler(CrashHandler handler) {
    this.handler = Objects.requireNonNull(handler, "handler");
  }

  /**
   * Raises a bug check with the Java stack of the calling thread. Never returns normally.
   *
   * <p>Models {@code KeBugCheckEx} (full). Returns its exception type only so that callers can
   * write {@code throw bugChecks.raise(...)} where the compiler needs to see the flow end.
   *
   * @param driver the driver to name (the image or service name), or null
   * @throws BugCheckException always, carrying the record just raised
   */
  @CanIgnoreReturnValue
  public BugCheckException raise(
      int code, long p1, long p2, long p3, long p4, String driver, String message) {
    return raise(code, p1, p2, p3, p4, driver, message, null);
  }

  /**
   * Raises a bug check caused by {@code cause}; its stack (with causes) becomes the record's stack.
   * Never returns normally.
   *
   * <p>Models {@code KeBugCheckEx} (full), as called by the exception dispatcher when an exception
   * escapes a system thread or kernel-mode code.
   *
   * @param driver the driver to name, or null
   * @param cause what went wrong, or null to use the calling thread's stack
   * @throws BugCheckException always, carrying the record just raised
   */
  @CanIgnoreReturnValue
  public BugCheckException raise(
      int code,
      long p1,
      long p2,
      long p3,
      long p4,
      String driver,
      String message,
      Throwable cause) {
    Objects.requireNonNull(message, "message");
    String stack = cause != null ? stackOf(cause) : stackOfCurrentThread();
    BugCheck bugCheck =
        new BugCheck(
            code,
            p1,
            p2,
            p3,
            p4,
            driver,
            message,
            stack,
            clock.instant(),
            sequence.incrementAndGet());
    BugCheckException unwind = new BugCheckException(bugCheck, cause);
    if (first.compareAndSet(null, bugCheck)) {
      try {
        handler.onBugCheck(bugCheck);
      } catch (RuntimeException | Error handlerFailure) {
        // The machine is stopped whatever the handler did; keep its failure visible on the
        // exception that unwinds this thread instead of letting it replace the bug check.
        unwind.addSuppressed(handlerFailure);
      }
    } else {
      synchronized (secondaryLock) {
        secondaryCount++;
        if (secondary.size() < MAX_SECONDARY) {
          secondary.add(bugCheck);
        }
      }
    }
    throw unwind;
  }

  /** Whether this kernel has bug-checked. Models reading {@code KeBugCheckActive} (full). */
  public boolean isHalted() {
    return first.get() != null;
  }

  /**
   * The bug check that halted this kernel, if it has halted.
   *
   * <p>Models reading {@code KiBugCheckData} (full).
   */
  public Optional<BugCheck> first() {
    return Optional.ofNullable(first.get());
  }

  /**
   * Bug checks raised after the kernel had halted, oldest first; at most {@value #MAX_SECONDARY}
   * are kept.
   *
   * <p>Models nothing NT keeps (partial: a real machine stops at the first; the JVM's other threads
   * may still run into trouble, and this is where that shows).
   */
  public List<BugCheck> secondary() {
    synchronized (secondaryLock) {
      return List.copyOf(secondary);
    }
  }

  /**
   * How many bug checks were raised after the kernel had halted, including those not kept.
   *
   * <p>Models the recursion count of {@code KeBugCheckEx} (partial).
   */
  public long secondaryCount() {
    synchronized (secondaryLock) {
      return secondaryCount;
    }
  }

  private static String stackOf(Throwable cause) {
    StringWriter text = new StringWriter();
    try (PrintWriter out = new PrintWriter(text)) {
      cause.printStackTrace(out);
    }
    return text.toString();
  }

  private static String stackOfCurrentThread() {
    Thread thread = Thread.currentThread();
    StringBuilder text = new StringBuilder("Thread \"").append(thread.getName()).append("\"\n");
    StackTraceElement[] frames = thread.getStackTrace();
    // Skip getStackTrace itself and this facility's own frames: the stack starts at the caller.
    boolean inFacility = true;
    for (StackTraceElement frame : frames) {
      boolean ours =
          frame.getClassName().equals(BugChecks.class.getName())
              || frame.getClassName().equals(Thread.class.getName());
      if (inFacility && ours) {
        continue;
      }
      inFacility = false;
      text.append("\tat ").append(frame).append('\n');
    }
    return text.toString();
  }
}
