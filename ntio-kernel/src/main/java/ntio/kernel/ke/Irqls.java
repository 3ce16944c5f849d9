package ntio.kernel.ke;

import java.util.Objects;
import ntio.ddk.Irql;
import ntio.kernel.executive.BugCheck;
import ntio.kernel.executive.BugCheckException;
import ntio.kernel.executive.BugChecks;
import ntio.kernel.executive.CallingSite;

/**
 * The IRQL of every thread that runs in one kernel: what {@code KeGetCurrentIrql}, {@code
 * KeRaiseIrql} and {@code KeLowerIrql} read and write. Models the {@code Irql} field of each
 * processor's {@code KPCR}, kept per Java thread (each Java thread is its own processor).
 *
 * <p>A thread that has never raised is at PASSIVE_LEVEL. The state is an instance's per-thread
 * value, never a static: two kernels in one JVM keep their own.
 */
public final class Irqls {

  /** {@code IRQL_NOT_GREATER_OR_EQUAL}: a raise to a level below the current one. */
  public static final int IRQL_NOT_GREATER_OR_EQUAL = 0x09;

  private final BugChecks bugChecks;
  private final ThreadLocal<IrqlState> states = ThreadLocal.withInitial(IrqlState::new);

  public Irqls(BugChecks bugChecks) {
    this.bugChecks = Objects.requireNonNull(bugChecks, "bugChecks");
  }

  /** The calling thread's state in this kernel. */
  public IrqlState state() {
    return states.get();
  }

  /** The calling thread's IRQL. Models {@code KeGetCurrentIrql}. */
  public Irql current() {
    return states.get().irql();
  }

  /**
   * Raises the calling thread to {@code newIrql}, as a driver's {@code KeRaiseIrql} does: a level
   * below the current one is bug check 0x9 {@code IRQL_NOT_GREATER_OR_EQUAL} naming {@code
   * driver} (P1 = current, P2 = requested), as NT's HAL raises it.
   *
   * @return the level before
   */
  public Irql raise(Irql newIrql, String driver) {
    Objects.requireNonNull(newIrql, "newIrql");
    IrqlState state = states.get();
    Irql old = state.irql();
    if (newIrql.isBelow(old)) {
      throw violation(IRQL_NOT_GREATER_OR_EQUAL, old.level(), newIrql.level(), 0, 0, driver,
          "KeRaiseIrql to " + newIrql + " from " + old + ": a raise may not lower the IRQL");
    }
    state.setIrql(newIrql);
    return old;
  }

  /**
   * Lowers the calling thread to {@code newIrql}, as a driver's {@code KeLowerIrql} does: a level
   * above the current one is bug check 0xA {@code IRQL_NOT_LESS_OR_EQUAL} naming {@code driver}
   * (P1 = requested, P2 = current), as NT's HAL raises it.
   */
  public void lower(Irql newIrql, String driver) {
    Objects.requireNonNull(newIrql, "newIrql");
    IrqlState state = states.get();
    Irql old = state.irql();
    if (newIrql.isAbove(old)) {
      throw violation(BugCheck.IRQL_NOT_LESS_OR_EQUAL, newIrql.level(), old.level(), 0, 0, driver,
          "KeLowerIrql to " + newIrql + " from " + old + ": a lower may not raise the IRQL");
    }
    state.setIrql(newIrql);
  }

  /**
   * Sets the calling thread's IRQL with no check: the kernel's own transitions (a DPC worker going
   * to DISPATCH_LEVEL, a worker put back to PASSIVE_LEVEL after a bug check).
   *
   * @return the level before
   */
  public Irql set(Irql irql) {
    IrqlState state = states.get();
    Irql old = state.irql();
    state.setIrql(Objects.requireNonNull(irql, "irql"));
    return old;
  }

  /**
   * Raises the bug check for an IRQL rule {@code driver} broke, its message ending with the
   * driver's source line that made the call ({@link CallingSite}) when one is on the stack. Every
   * IRQL bug check goes through here, so each names the driver and the line. Never returns.
   */
  public BugCheckException violation(int code, long p1, long p2, long p3, long p4, String driver, String what) {
    String site = CallingSite.ofCurrentThread().map(frame -> " (at " + frame + ")").orElse("");
    throw bugChecks.raise(code, p1, p2, p3, p4, driver, what + site);
  }
}
