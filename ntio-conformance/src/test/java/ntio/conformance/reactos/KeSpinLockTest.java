package ntio.conformance.reactos;

import static ntio.conformance.reactos.KernelChecks.assertPassed;

import java.util.stream.Stream;
import ntio.ddk.Irql;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Port of reactos/reactos {@code modules/rostests/kmtests/ntos_ke/KeSpinLock.c}, {@code
 * START_TEST(KeSpinLock)}, run by {@link KeSpinLockDriver} in a real host: one test per ported row
 * of upstream's {@code TestData} and original IRQL (one call of {@code TestSpinLock}), asserting how
 * many kernel checks it made (see {@link KeSpinLockDriver} for what is and is not ported) and that
 * all passed.
 */
class KeSpinLockTest extends KmtKeTest {

  KeSpinLockTest() {
    super(KeSpinLockDriver.SUITE, KeSpinLockDriver.class);
  }

  /** {@code KeInitializeSpinLock} leaves the lock free; {@code KeTestSpinLock} of it is TRUE. */
  @Test
  void anInitializedSpinLockIsFree() {
    assertPassed(run().results(), "KeSpinLock/KeInitializeSpinLock", 1);
    assertPassed(run().results(), "KeSpinLock/KeTestSpinLock", 1);
  }

  /**
   * Each call of {@code TestSpinLock}: 8 checks below DISPATCH_LEVEL (acquire, release); at
   * DISPATCH_LEVEL 18 more for the DPC-level variants mixed with the raising ones, and for the
   * ordinary lock 10 more for {@code KeTryToAcquireSpinLockAtDpcLevel}.
   */
  static Stream<Arguments> testSpinLockCalls() {
    return Stream.of(
        Arguments.of("KeAcquireSpinLock", Irql.PASSIVE_LEVEL, 8),
        Arguments.of("KeAcquireSpinLock", Irql.APC_LEVEL, 8),
        Arguments.of("KeAcquireSpinLock", Irql.DISPATCH_LEVEL, 36),
        Arguments.of("KeAcquireInStackQueuedSpinLock", Irql.PASSIVE_LEVEL, 8),
        Arguments.of("KeAcquireInStackQueuedSpinLock", Irql.APC_LEVEL, 8),
        Arguments.of("KeAcquireInStackQueuedSpinLock", Irql.DISPATCH_LEVEL, 26));
  }

  @ParameterizedTest(name = "TestSpinLock({0}) from {1}")
  @MethodSource("testSpinLockCalls")
  void testSpinLock(String row, Irql original, int checks) {
    assertPassed(run().results(), "KeSpinLock/TestSpinLock(" + row + ", " + original + ")", checks);
  }

  /** Every check the body made is one of the above: 96 in all. */
  @Test
  void everyKernelCheckRanAndPassed() {
    assertPassed(run().results(), "KeSpinLock/", 96);
  }
}
