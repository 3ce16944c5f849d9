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

  /** 0xC4's first parameter: {@code KeRaiseIrql} to a level below the current one (P2 current, P3 requested). */
  public static final int VERIFIER_RAISE_IRQL_BAD = 0x30;
  /** 0xC4's first parameter: {@code KeLowerIrql} to a level above the current one (P2 current, P3 requested). */
  public static final int VERIFIER_LOWER_IRQL_BAD = 0x31;

  /**
   * {@link #raise(Irql, String)} through the import table of {@code caller}: with the verifier's
   * IRQL checking on for the image, a raise below the current level is the verifier's bug check
   * 0xC4/0x30 (P2 current, P3 requested) instead of the HAL's 0x9, as the verifier's thunk for
   * {@code KeRaiseIrql} catches it before the HAL does (MicrosoftDocs, bug check 0xC4).
   */
  public Irql raise(Irql newIrql, KeCaller caller) {
    if (caller.verifierChecksIrql()) {
      Irql old = current();
      if (Objects.requireNonNull(newIrql, "newIrql").isBelow(old)) {
        throw violation(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, VERIFIER_RAISE_IRQL_BAD,
            old.level(), newIrql.level(), 0, caller.driver(), "KeRaiseIrql to " + newIrql + " from "
                + old + ": a raise may not lower the IRQL (Driver Verifier, IRQL checking)");
      }
    }
    return raise(newIrql, caller.driver());
  }

  /**
   * {@link #lower(Irql, String)} through the import table of {@code caller}: with the verifier's
   * IRQL checking on, a lower above the current level is 0xC4/0x31 (P2 current, P3 requested)
   * instead of the HAL's 0xA.
   */
  public void lower(Irql newIrql, KeCaller caller) {
    if (caller.verifierChecksIrql()) {
      Irql old = current();
      if (Objects.requireNonNull(newIrql, "newIrql").isAbove(old)) {
        throw violation(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, VERIFIER_LOWER_IRQL_BAD,
            old.level(), newIrql.level(), 0, caller.driver(), "KeLowerIrql to " + newIrql + " from "
                + old + ": a lower may not raise the IRQL (Driver Verifier, IRQL checking)");
      }
    }
    lower(newIrql, caller.driver());
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
   * Puts {@code state} (the calling thread's) back to the level and spin lock count a door into
   * driver code found on entry, after the call ended in a bug check or a fault: a kernel thread
   * lent to a driver never stays raised.
   */
  public void restore(IrqlState state, Irql irql, int spinLocksHeld) {
    state.restore(irql, spinLocksHeld);
  }

  /**
   * Notes that {@code driver}'s routine returned to a door that does not check the IRQL (a
   * dispatch, completion or cancel routine, as NT's {@code IofCallDriver}, {@code
   * IopfCompleteRequest} and {@code IoCancelIrp} do not) at another level than it was entered
   * at: the thread stays there, and the next check on it ({@link #checkReturnToCaller}) names
   * {@code driver}.
   */
  public void leftRaised(IrqlState state, String driver) {
    if (state.leftRaisedBy() == null) {
      state.setLeftRaisedBy(driver);
    }
  }

  /**
   * Whether the calling thread is at PASSIVE_LEVEL holding no spin lock: the cheap test before
   * {@link #checkReturnToCaller}, which builds its message only when it fails.
   */
  public boolean atPassive() {
    IrqlState state = states.get();
    return state.irql() == Irql.PASSIVE_LEVEL && state.spinLocksHeld() == 0;
  }

  /**
   * The check a system service makes before it returns to its user-mode caller: a thread above
   * PASSIVE_LEVEL (or holding a spin lock) is bug check 0x4A {@code IRQL_GT_ZERO_AT_SYSTEM_SERVICE}
   * (P1 the service's address, P2 the IRQL, P3 0, P4 0; ntio's P1 is 0), as {@code KiSystemService}'s
   * exit raises it on NT. It names the driver whose routine left the thread there. The thread,
   * which is the client's and only lent to the kernel, is put back to PASSIVE_LEVEL first.
   *
   * @param service the system service, for the message (such as {@code NtReadFile})
   */
  public void checkReturnToCaller(String service) {
    IrqlState state = states.get();
    Irql irql = state.irql();
    int held = state.spinLocksHeld();
    if (irql != Irql.PASSIVE_LEVEL || held != 0) {
      String driver = state.leftRaisedBy();
      state.restore(Irql.PASSIVE_LEVEL, 0);
      throw violation(BugCheck.IRQL_GT_ZERO_AT_SYSTEM_SERVICE, 0, irql.level(), 0, 0, driver,
          service + " returned to its caller at " + irql + " holding " + held + " spin lock(s)"
              + (driver != null ? ": " + driver + "'s routine returned without lowering it" : ""));
    }
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
