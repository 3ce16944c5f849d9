package ntio.conformance.reactos;

import ntio.ddk.Irql;
import ntio.ddk.KernelEvent;
import ntio.ddk.KernelServices;

/**
 * The kernel half of reactos/reactos {@code modules/rostests/kmtests/ntos_ke/KeEvent.c}, {@code
 * START_TEST(KeEvent)} and {@code TestEventFunctional}, for notification and synchronization events
 * from PASSIVE_LEVEL, APC_LEVEL and DISPATCH_LEVEL: KeInitializeEvent's initial state, KeClearEvent,
 * KeSetEvent and KeResetEvent with the previous state they return, KeReadStateEvent, and the IRQL
 * left unchanged. {@code CheckEvent} ports as KeReadStateEvent and {@code ok_irql}.
 *
 * <p>Not ported: states other than 0 and 1 written into {@code Header.SignalState} (no memory
 * layout: the KeClearEvent of a 0x12345678 state is made on a signalled event), KePulseEvent and
 * KeSetEvent's {@code Wait} argument (not in the DDK), the header's {@code Type}, {@code Hand},
 * {@code Lock} and wait list, and {@code TestEventConcurrent}/{@code TestEventScheduling} (system
 * threads, KeWaitForMultipleObjects, priorities and KeDelayExecutionThread are not in the DDK).
 */
public final class KeEventDriver extends KmtKeDriver {

  /** The suite the checks are recorded under. */
  static final String SUITE = "KeEvent";

  /** Needed by the image loader. */
  public KeEventDriver() {
    super(SUITE);
  }

  @Override
  void test(KernelServices services, KmtChecks ok) {
    atEachLevel(services, irql -> {
      testEventFunctional(services, ok, true, irql);
      testEventFunctional(services, ok, false, irql);
    });
    okIrql(services, ok, "KeEvent/end", Irql.PASSIVE_LEVEL);
  }

  /** {@code TestEventFunctional(Event, Type, OriginalIrql)}. */
  private static void testEventFunctional(KernelServices services, KmtChecks ok, boolean notification,
      Irql original) {
    String at = "KeEvent/TestEventFunctional(" + (notification ? "NotificationEvent" : "SynchronizationEvent")
        + ", " + original + ")";

    KernelEvent event = services.initializeEvent(notification, false);
    checkEvent(services, ok, at + " KeInitializeEvent(FALSE)", event, false, original);

    event = services.initializeEvent(notification, true);
    checkEvent(services, ok, at + " KeInitializeEvent(TRUE)", event, true, original);

    event.clear();
    checkEvent(services, ok, at + " KeClearEvent", event, false, original);

    boolean previous = event.set();
    checkEvent(services, ok, at + " KeSetEvent", event, true, original);
    ok.eq(at + " KeSetEvent: previous state", false, previous);

    previous = event.reset();
    checkEvent(services, ok, at + " KeResetEvent", event, false, original);
    ok.eq(at + " KeResetEvent: previous state", true, previous);

    okIrql(services, ok, at + " end", original);
  }

  /** {@code CheckEvent}: the state KeReadStateEvent reads, and the IRQL. */
  private static void checkEvent(KernelServices services, KmtChecks ok, String at, KernelEvent event,
      boolean signalled, Irql irql) {
    ok.eq(at + ": KeReadStateEvent", signalled, event.isSignalled());
    okIrql(services, ok, at, irql);
  }
}
