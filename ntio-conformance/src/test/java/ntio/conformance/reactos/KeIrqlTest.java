package ntio.conformance.reactos;

import static ntio.conformance.reactos.KernelChecks.assertPassed;

import org.junit.jupiter.api.Test;

/**
 * Port of reactos/reactos {@code modules/rostests/kmtests/ntos_ke/KeIrql.c}, {@code
 * START_TEST(KeIrql)}, run by {@link KeIrqlDriver} in a real host. Each test asserts the kernel
 * checks of one block of upstream's body: how many ran, and that all passed.
 */
class KeIrqlTest extends KmtKeTest {

  KeIrqlTest() {
    super(KeIrqlDriver.SUITE, KeIrqlDriver.class);
  }

  /** "we should be called at PASSIVE_LEVEL". */
  @Test
  void aKernelTestStartsAtPassiveLevel() {
    assertPassed(run().results(), "KeIrql/entry", 1);
  }

  /** "some Irqls MUST work": a raise to each level returns the old one, a lower goes back. */
  @Test
  void everyLevelCanBeRaisedToAndLoweredFrom() {
    assertPassed(run().results(), "KeIrql/must work", 15);
  }

  /** "raising/lowering to the current level should have no effect". */
  @Test
  void raisingAndLoweringToTheCurrentLevelChangeNothing() {
    assertPassed(run().results(), "KeIrql/same level", 3);
  }

  /** "try to raise to each Irql and back". */
  @Test
  void eachRaiseAndLowerReturnsToPassiveLevel() {
    assertPassed(run().results(), "KeIrql/each and back", 10);
  }

  /** "go through all Irqls in order": each raise returns the level before, up to HIGH_LEVEL. */
  @Test
  void raisingThroughEveryLevelInOrderEndsAtHighLevel() {
    assertPassed(run().results(), "KeIrql/in order up", 11);
  }

  /** "now go back again": each lower goes below the level before. */
  @Test
  void loweringThroughEveryLevelInOrderGoesDown() {
    assertPassed(run().results(), "KeIrql/down to", 4);
  }

  /** "test KeRaiseIrqlToDpcLevel": from PASSIVE_LEVEL, then again from DISPATCH_LEVEL. */
  @Test
  void keRaiseIrqlToDpcLevelRaisesToDispatchAndReturnsTheOldLevel() {
    assertPassed(run().results(), "KeIrql/KeRaiseIrqlToDpcLevel", 5);
  }

  /** "make sure we exit gracefully". */
  @Test
  void theTestEndsAtPassiveLevel() {
    assertPassed(run().results(), "KeIrql/exit", 1);
  }

  /** Every check the body made is one of the above: 50 in all. */
  @Test
  void everyKernelCheckRanAndPassed() {
    assertPassed(run().results(), "KeIrql/", 50);
  }
}
