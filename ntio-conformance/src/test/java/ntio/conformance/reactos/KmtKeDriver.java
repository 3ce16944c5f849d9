package ntio.conformance.reactos;

import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.Irql;
import ntio.ddk.KernelServices;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;

/**
 * The kernel half of a ported {@code kmtests/ntos_ke} test, as kmtest runs one: its {@code
 * START_TEST} body runs once, at PASSIVE_LEVEL, here in DriverEntry, recording into a {@link
 * KmtBuffer} that is written to the suite once the body is done and back at PASSIVE_LEVEL. The
 * driver then stays loaded, with a DriverUnload, until the JUnit half unloads it.
 *
 * <p>A routine ntio does not implement yet throws {@link UnsupportedOperationException}: the body
 * stops there, as a failed check naming the routine, and the IRQL is put back to PASSIVE_LEVEL as
 * kmtest's {@code KmtSetIrql(PASSIVE_LEVEL)} does after a test, so that the checks made before it
 * still reach the JUnit half. Anything else thrown is the kernel's business (a bug check).
 */
abstract class KmtKeDriver implements DriverEntry {

  /**
   * The levels most ntos_ke tests run their body from: upstream's PASSIVE_LEVEL, APC_LEVEL and
   * DISPATCH_LEVEL (a checked build stops before HIGH_LEVEL, and so does ntio).
   */
  static final Irql[] UP_TO_DISPATCH = {Irql.PASSIVE_LEVEL, Irql.APC_LEVEL, Irql.DISPATCH_LEVEL};

  /** The suite the checks are recorded under. */
  private final String suite;

  KmtKeDriver(String suite) {
    this.suite = suite;
  }

  /** The upstream {@code START_TEST} body, checking through {@code ok}. */
  abstract void test(KernelServices services, KmtChecks ok);

  /**
   * Runs at PASSIVE_LEVEL after the body, before its checks are written: waits for whatever the
   * body left running elsewhere (a DPC) to record its checks. Nothing by default.
   */
  void drain(KernelServices services) {}

  @Override
  public final NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    KernelServices services = driver.services();
    KmtBuffer buffer = new KmtBuffer();
    KmtChecks ok = buffer.checks();
    try {
      test(services, ok);
    } catch (UnsupportedOperationException e) {
      ok.ok(suite + ": a routine ntio does not implement", false, e.getMessage());
      setIrql(services, Irql.PASSIVE_LEVEL);
    }
    drain(services);
    buffer.flushTo(driver, suite);
    driver.setDriverUnload(d -> { });
    return NtStatus.STATUS_SUCCESS;
  }

  /**
   * Runs {@code body} raised to each of {@link #UP_TO_DISPATCH} in turn, lowering after each: the
   * loop over {@code Irqls[]} around a {@code Test...Functional} call upstream.
   */
  static void atEachLevel(KernelServices services, java.util.function.Consumer<Irql> body) {
    for (Irql irql : UP_TO_DISPATCH) {
      Irql old = services.raiseIrql(irql);
      body.accept(irql);
      services.lowerIrql(old);
    }
  }

  /** kmtest's {@code KmtSetIrql}: goes to {@code irql} from wherever the thread is, by the rules. */
  static void setIrql(KernelServices services, Irql irql) {
    Irql current = services.getCurrentIrql();
    if (current.isAbove(irql)) {
      services.lowerIrql(irql);
    } else if (current.isBelow(irql)) {
      services.raiseIrql(irql);
    }
  }

  /** kmtest's {@code ok_irql(expected)}: the thread's IRQL is {@code expected}. */
  static void okIrql(KernelServices services, KmtChecks ok, String check, Irql expected) {
    ok.eq(check + ": ok_irql(" + expected + ")", expected, services.getCurrentIrql());
  }
}
