package ntio.conformance.reactos;

import static ntio.conformance.reactos.KernelChecks.assertPassed;

import ntio.ddk.Irql;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Port of reactos/reactos {@code modules/rostests/kmtests/ntos_ke/KeTimer.c}, {@code
 * START_TEST(KeTimer)}, run by {@link KeTimerDriver} in a real host: one test per call of {@code
 * TestTimerFunctional} (see {@link KeTimerDriver} for what is not ported).
 */
class KeTimerTest extends KmtKeTest {

  KeTimerTest() {
    super(KeTimerDriver.SUITE, KeTimerDriver.class);
  }

  /** {@code TestTimerFunctional(NotificationTimer, irql)}: a new timer is not signalled. */
  @ParameterizedTest(name = "TestTimerFunctional(NotificationTimer, {0})")
  @EnumSource(value = Irql.class, names = {"PASSIVE_LEVEL", "APC_LEVEL", "DISPATCH_LEVEL"})
  void aNewTimerIsNotSignalled(Irql irql) {
    assertPassed(run().results(), "KeTimer/TestTimerFunctional(NotificationTimer, " + irql + ")", 2);
  }

  /** Every check the body made: 7 in all, the last the final IRQL. */
  @Test
  void everyKernelCheckRanAndPassed() {
    assertPassed(run().results(), "KeTimer/end", 1);
    assertPassed(run().results(), "KeTimer/", 7);
  }
}
