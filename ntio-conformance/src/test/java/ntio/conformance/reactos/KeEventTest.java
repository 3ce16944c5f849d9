package ntio.conformance.reactos;

import static ntio.conformance.reactos.KernelChecks.assertPassed;

import java.util.stream.Stream;
import ntio.ddk.Irql;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Port of reactos/reactos {@code modules/rostests/kmtests/ntos_ke/KeEvent.c}, {@code
 * START_TEST(KeEvent)}, run by {@link KeEventDriver} in a real host: one test per call of {@code
 * TestEventFunctional} (see {@link KeEventDriver} for what is not ported), 13 checks each.
 */
class KeEventTest extends KmtKeTest {

  KeEventTest() {
    super(KeEventDriver.SUITE, KeEventDriver.class);
  }

  static Stream<Arguments> testEventFunctionalCalls() {
    return Stream.of(KmtKeDriver.UP_TO_DISPATCH).flatMap(irql -> Stream.of(
        Arguments.of("NotificationEvent", irql), Arguments.of("SynchronizationEvent", irql)));
  }

  /**
   * {@code TestEventFunctional(type, irql)}: initial states, KeClearEvent, KeSetEvent and
   * KeResetEvent with their previous states, at an unchanged IRQL.
   */
  @ParameterizedTest(name = "TestEventFunctional({0}, {1})")
  @MethodSource("testEventFunctionalCalls")
  void setResetAndClearWorkUpToDispatchLevel(String type, Irql irql) {
    assertPassed(run().results(), "KeEvent/TestEventFunctional(" + type + ", " + irql + ")", 13);
  }

  /** Every check the body made: 79 in all, the last the final IRQL. */
  @Test
  void everyKernelCheckRanAndPassed() {
    assertPassed(run().results(), "KeEvent/end", 1);
    assertPassed(run().results(), "KeEvent/", 79);
  }
}
