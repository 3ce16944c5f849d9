package ntio.conformance.reactos;

import static ntio.conformance.reactos.KernelChecks.assertPassed;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import ntio.conformance.KernelResults;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * Port of reactos/reactos {@code modules/rostests/kmtests/ntos_ke/KeDpc.c}, {@code
 * START_TEST(KeDpc)} and {@code DpcHandler}, run by {@link KeDpcDriver} in a real host. Each test
 * asserts the kernel checks of one block of upstream's body (see {@link KeDpcDriver} for what is
 * not ported): how many ran, and that all passed.
 *
 * <p>The blocks that check when the DPC runs are disabled with {@link #DPC_DELIVERY}: they keep
 * upstream's expectations, which ntio's DPC workers do not meet (docs/conformance/reactos.md).
 */
class KeDpcTest extends KmtKeTest {

  /** Why the delivery checks are disabled: the divergence they found, open in ntio. */
  static final String DPC_DELIVERY = "divergence: NT runs a DPC queued on the current processor when"
      + " it drops below DISPATCH_LEVEL (at once from PASSIVE_LEVEL); ntio runs it on a DPC worker,"
      + " concurrently, so these checks race (docs/conformance/reactos.md)";

  KeDpcTest() {
    super(KeDpcDriver.SUITE, KeDpcDriver.class);
  }

  /** {@code KeInitializeDpc}: the new DPC is not queued. */
  @Test
  void anInitializedDpcIsNotQueued() {
    assertPassed(run().results(), "KeDpc/KeInitializeDpc:", 1);
  }

  /** "simply run the Dpc a few times": from PASSIVE_LEVEL the DPC has run when the insert returns. */
  @Test
  @Disabled(DPC_DELIVERY)
  void aDpcQueuedAtPassiveLevelHasRunWhenTheInsertReturns() {
    assertPassed(run().results(), "KeDpc/run at PASSIVE_LEVEL", 15);
  }

  /**
   * "insert into queue at high irql": at DISPATCH_LEVEL and above the DPC waits, a second insert
   * fails, and it runs once the thread is lowered below DISPATCH_LEVEL.
   */
  @Test
  @Disabled(DPC_DELIVERY)
  void aDpcQueuedAtDispatchLevelRunsOnceWhenTheThreadLowersAndCoalesces() {
    assertPassed(run().results(), "KeDpc/insert at DISPATCH_LEVEL", 35);
  }

  /** "now test removing from the queue": a DPC removed before the thread lowers never runs. */
  @Test
  @Disabled(DPC_DELIVERY)
  void aDpcRemovedFromTheQueueNeverRuns() {
    assertPassed(run().results(), "KeDpc/remove at DISPATCH_LEVEL", 40);
  }

  /**
   * {@code DpcHandler}: every run is at DISPATCH_LEVEL with its DPC and both arguments, four checks
   * a run. (Upstream's ten runs are asserted by the disabled blocks: with the DPC worker racing the
   * inserts, some inserts coalesce or land after a run.)
   */
  @Test
  @Disabled(DPC_DELIVERY + " Upstream's handler compares its arguments with values the test changes"
      + " between inserts, which NT makes safe by running the DPC only when the inserting thread"
      + " lowers; here the worker can run it in between (failed in CI on 2026-12-08).")
  void theDeferredRoutineRunsAtDispatchLevelWithItsDpcAndArguments() {
    List<KernelResults.Check> checks = KernelChecks.named(run().results(), "KeDpc/DpcHandler");
    assertThat(checks.stream().filter(c -> !c.passed()).map(KernelResults.Check::toString))
        .as("failed kernel checks of DpcHandler").isEmpty();
    assertThat(checks).as("DpcHandler ran").isNotEmpty();
    assertThat(checks.size() % 4).as("four checks a run").isZero();
  }

  /** The test ends at PASSIVE_LEVEL. */
  @Test
  void theTestEndsAtPassiveLevel() {
    assertPassed(run().results(), "KeDpc/end: ok_irql", 1);
  }

  /** The final DpcCount: ten runs. */
  @Test
  @Disabled(DPC_DELIVERY)
  void theDpcRanTenTimes() {
    assertPassed(run().results(), "KeDpc/end: DpcCount", 1);
  }

  /** Every check the body made is one of the above: 93 and 40 of DpcHandler, 133 in all. */
  @Test
  @Disabled(DPC_DELIVERY)
  void everyKernelCheckRanAndPassed() {
    assertPassed(run().results(), "KeDpc/", 133);
  }
}
