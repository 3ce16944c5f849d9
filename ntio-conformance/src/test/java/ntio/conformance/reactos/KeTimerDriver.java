package ntio.conformance.reactos;

import ntio.ddk.Irql;
import ntio.ddk.KernelServices;
import ntio.ddk.KernelTimer;

/**
 * The kernel half of reactos/reactos {@code modules/rostests/kmtests/ntos_ke/KeTimer.c}, {@code
 * START_TEST(KeTimer)} and {@code TestTimerFunctional}: KeInitializeTimerEx from PASSIVE_LEVEL,
 * APC_LEVEL and DISPATCH_LEVEL leaves the timer not signalled ({@code SignalState} 0, {@code
 * KeReadStateTimer} FALSE, one routine in ntio) and the IRQL unchanged.
 *
 * <p>Upstream stops before HIGH_LEVEL on a checked build (DRIVER_IRQL_NOT_LESS_OR_EQUAL), and so
 * does this port. Not ported: the {@code SynchronizationTimer} calls (ntio's KeInitializeTimerEx
 * makes notification timers only), the header's {@code Type}, {@code Hand} and {@code Lock} and
 * the wait list (no memory layout), and the thread's {@code WaitNext}.
 */
public final class KeTimerDriver extends KmtKeDriver {

  /** The suite the checks are recorded under. */
  static final String SUITE = "KeTimer";

  /** Needed by the image loader. */
  public KeTimerDriver() {
    super(SUITE);
  }

  @Override
  void test(KernelServices services, KmtChecks ok) {
    atEachLevel(services, irql -> {
      // TestTimerFunctional(&Timer, NotificationTimer, Irqls[i])
      String at = "KeTimer/TestTimerFunctional(NotificationTimer, " + irql + ")";
      KernelTimer timer = services.initializeTimer();
      ok.ok(at + ": KeReadStateTimer FALSE (SignalState 0)", !timer.isSignalled(), "TRUE");
      okIrql(services, ok, at, irql);
    });
    okIrql(services, ok, "KeTimer/end", Irql.PASSIVE_LEVEL);
  }
}
