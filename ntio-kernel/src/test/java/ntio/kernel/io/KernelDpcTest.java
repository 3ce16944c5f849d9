package ntio.kernel.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import ntio.ddk.Irql;
import ntio.ddk.KernelDpc;
import ntio.ddk.KernelServices;
import ntio.ddk.KernelTimer;
import ntio.ddk.NtStatus;
import ntio.kernel.Kernel;
import ntio.kernel.KernelConfig;
import ntio.kernel.executive.BugCheck;
import ntio.kernel.executive.BugCheckException;
import ntio.kernel.ke.Waitable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * DPCs and timers as a driver sees them (KeInitializeDpc, KeInsertQueueDpc, KeRemoveQueueDpc,
 * KeSetTargetProcessorDpc, KeFlushQueuedDpcs, KeSetTimerEx with a DPC, KeReadStateTimer) on a
 * kernel of two processors, from a builtin driver, whose services are a real image's minus the
 * image. Behaviours follow ReactOS's kmtests {@code KeDpc.c} and {@code KeTimer.c}, which ran on
 * Windows: a DPC runs at DISPATCH_LEVEL, a queued DPC is not queued twice, a removed one never runs.
 */
@Timeout(30)
class KernelDpcTest {

  private static final long SECONDS = 5;

  @TempDir Path state;
  private Kernel kernel;
  private KernelServices services;
  private final List<CountDownLatch> blockers = new CopyOnWriteArrayList<>();

  @BeforeEach
  void boot() {
    kernel = Kernel.boot(KernelConfig.of(state).withProcessors(2));
    services = BuiltinServices.of(kernel, "\\Driver\\Deferred");
  }

  @AfterEach
  void shutDown() {
    blockers.forEach(CountDownLatch::countDown);
    kernel.shutdown();
  }

  /** What one run of a DPC saw. */
  record Run(Irql irql, boolean inDpc, int processor, boolean systemThread, Object argument1, Object argument2) {}

  private Run observe(Object argument1, Object argument2) {
    return new Run(services.getCurrentIrql(), kernel.io().irqls().state().inDpc(),
        kernel.io().processors().currentProcessor().orElse(-1), kernel.processes().isSystemThread(),
        argument1, argument2);
  }

  /**
   * Keeps processor {@code number} busy in a DPC until the test ends or the returned latch is
   * counted down: the DPCs queued there behind it stay queued meanwhile, as behind a long DPC.
   */
  private CountDownLatch occupy(int number) throws InterruptedException {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch running = new CountDownLatch(1);
    blockers.add(release);
    KernelDpc blocker = services.initializeDpc((dpc, a, b) -> {
      running.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    blocker.setTargetProcessor(number);
    assertThat(blocker.insertQueue(null, null)).isTrue();
    assertThat(running.await(SECONDS, TimeUnit.SECONDS)).as("the blocker runs").isTrue();
    return release;
  }

  /** Waits until a bug check raised on another thread has its crash report written. */
  private void awaitTheCrashReport() {
    IoLab.await("the bug check's crash report", () -> kernel.haltReason().isPresent());
  }

  private BugCheck theBugCheck() {
    return kernel.bugChecks().first().orElseThrow(() -> new AssertionError("no bug check"));
  }

  @Test
  void aDpcRunsAtDispatchLevelOnAProcessorWorkerWithItsArguments() throws InterruptedException {
    AtomicReference<Run> seen = new AtomicReference<>();
    CountDownLatch ran = new CountDownLatch(1);
    KernelDpc dpc = services.initializeDpc((self, a, b) -> {
      seen.set(observe(a, b));
      ran.countDown();
    });

    assertThat(dpc.insertQueue("one", 2)).isTrue();

    assertThat(ran.await(SECONDS, TimeUnit.SECONDS)).isTrue();
    Run run = seen.get();
    assertThat(run.irql()).isEqualTo(Irql.DISPATCH_LEVEL);
    assertThat(run.inDpc()).isTrue();
    assertThat(run.processor()).isBetween(0, 1);
    assertThat(run.systemThread()).isTrue();
    assertThat(run.argument1()).isEqualTo("one");
    assertThat(run.argument2()).isEqualTo(2);
    assertThat(services.getCurrentIrql()).as("the inserting thread").isEqualTo(Irql.PASSIVE_LEVEL);
    IoLab.await("the DPC to leave the queue", () -> !dpc.isQueued());
  }

  @Test
  void insertingADpcAlreadyQueuedAnswersFalseChangesNothingAndItRunsOnce() throws InterruptedException {
    occupy(0);
    List<Run> runs = new CopyOnWriteArrayList<>();
    KernelDpc dpc = services.initializeDpc((self, a, b) -> runs.add(observe(a, b)));
    dpc.setTargetProcessor(0);

    assertThat(dpc.insertQueue("first", null)).isTrue();
    assertThat(dpc.isQueued()).isTrue();
    assertThat(dpc.insertQueue("second", null)).as("KeInsertQueueDpc of a queued DPC").isFalse();
    blockers.forEach(CountDownLatch::countDown);
    services.flushQueuedDpcs();

    assertThat(runs).singleElement().satisfies(run -> {
      assertThat(run.argument1()).as("the first insert's arguments").isEqualTo("first");
      assertThat(run.processor()).isZero();
    });
    assertThat(dpc.isQueued()).isFalse();
  }

  @Test
  void removeQueueTakesAWaitingDpcOffItsQueueAndItNeverRuns() throws InterruptedException {
    occupy(1);
    AtomicInteger runs = new AtomicInteger();
    KernelDpc dpc = services.initializeDpc((self, a, b) -> runs.incrementAndGet());
    dpc.setTargetProcessor(1);
    dpc.insertQueue(null, null);

    assertThat(dpc.removeQueue()).as("KeRemoveQueueDpc of a queued DPC").isTrue();
    assertThat(dpc.isQueued()).isFalse();
    assertThat(dpc.removeQueue()).as("again").isFalse();
    blockers.forEach(CountDownLatch::countDown);
    services.flushQueuedDpcs();

    assertThat(runs).hasValue(0);
    assertThat(dpc.insertQueue(null, null)).as("it can be queued again").isTrue();
    services.flushQueuedDpcs();
    assertThat(runs).hasValue(1);
  }

  @Test
  void aDpcMayQueueItselfAgainWhileItRuns() throws InterruptedException {
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch thrice = new CountDownLatch(3);
    KernelDpc dpc = services.initializeDpc((self, a, b) -> {
      runs.incrementAndGet();
      thrice.countDown();
      if (thrice.getCount() > 0) {
        assertThat(self.insertQueue(null, null)).isTrue();
      }
    });

    dpc.insertQueue(null, null);

    assertThat(thrice.await(SECONDS, TimeUnit.SECONDS)).isTrue();
    services.flushQueuedDpcs();
    assertThat(runs).hasValue(3);
  }

  @Test
  void aDpcQueuedFromADpcRunsOnTheSameProcessorAndATargetedOneOnItsTarget() throws InterruptedException {
    List<Run> inner = new CopyOnWriteArrayList<>();
    KernelDpc innerDpc = services.initializeDpc((self, a, b) -> inner.add(observe(a, b)));
    KernelDpc targeted = services.initializeDpc((self, a, b) -> inner.add(observe("targeted", b)));
    targeted.setTargetProcessor(1);
    AtomicInteger outerProcessor = new AtomicInteger(-1);
    KernelDpc outer = services.initializeDpc((self, a, b) -> {
      outerProcessor.set(kernel.io().processors().currentProcessor().orElse(-1));
      innerDpc.insertQueue("inner", null);
    });
    outer.setTargetProcessor(0);

    outer.insertQueue(null, null);
    IoLab.await("the outer DPC", () -> outerProcessor.get() >= 0);
    services.flushQueuedDpcs();
    targeted.insertQueue(null, null);
    services.flushQueuedDpcs();

    assertThat(inner).hasSize(2);
    assertThat(inner.get(0).processor()).as("where the queuing DPC ran").isEqualTo(outerProcessor.get()).isZero();
    assertThat(inner.get(1).processor()).as("KeSetTargetProcessorDpc(1)").isEqualTo(1);
  }

  @Test
  void flushQueuedDpcsReturnsOnlyOnceEveryDpcQueuedBeforeHasRunOnEveryProcessor() throws InterruptedException {
    AtomicInteger finished = new AtomicInteger();
    for (int processor = 0; processor < 2; processor++) {
      KernelDpc slow = services.initializeDpc((self, a, b) -> {
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        finished.incrementAndGet();
      });
      slow.setTargetProcessor(processor);
      slow.insertQueue(null, null);
    }

    services.flushQueuedDpcs();

    assertThat(finished).hasValue(2);
  }

  @Test
  void flushQueuedDpcsOnAKernelThatNeverRanADpcReturnsAtOnce() {
    services.flushQueuedDpcs();

    assertThat(kernel.bugChecks().first()).isEmpty();
  }

  @Test
  void aTargetProcessorTheKernelDoesNotHaveIsAFaultNamingTheDriver() {
    KernelDpc dpc = services.initializeDpc((self, a, b) -> { });

    assertThatThrownBy(() -> dpc.setTargetProcessor(2)).isInstanceOf(BugCheckException.class);

    assertThat(theBugCheck().code()).isEqualTo(BugCheck.KMODE_EXCEPTION_NOT_HANDLED);
    assertThat(theBugCheck().driver()).isEqualTo("\\Driver\\Deferred");
    assertThat(theBugCheck().message()).contains("KeSetTargetProcessorDpc", "processor 2 of 2");
  }

  @Test
  void aDpcRoutineThatReturnsAtAnotherIrqlIsBugCheck0x9NamingTheDpc() {
    KernelDpc dpc = services.initializeDpc((self, a, b) -> services.raiseIrql(Irql.DEVICE_LEVEL));

    dpc.insertQueue(null, null);
    awaitTheCrashReport();

    BugCheck found = theBugCheck();
    assertThat(found.code()).isEqualTo(BugCheck.IRQL_NOT_GREATER_OR_EQUAL);
    assertThat(found.parameter2()).as("the IRQL it returned at").isEqualTo(Irql.DEVICE_LEVEL.level());
    assertThat(found.parameter3()).isEqualTo(Irql.DISPATCH_LEVEL.level());
    assertThat(found.driver()).isEqualTo("\\Driver\\Deferred");
    assertThat(found.message()).contains("the DPC", KernelDpcTest.class.getName(), "returned at DEVICE_LEVEL");
  }

  @Test
  void aDpcRoutineThatLowersToPassiveLevelIsBugCheck0x9Too() {
    KernelDpc dpc = services.initializeDpc((self, a, b) -> services.lowerIrql(Irql.PASSIVE_LEVEL));

    dpc.insertQueue(null, null);
    awaitTheCrashReport();

    assertThat(theBugCheck().code()).isEqualTo(BugCheck.IRQL_NOT_GREATER_OR_EQUAL);
    assertThat(theBugCheck().parameter2()).isEqualTo(Irql.PASSIVE_LEVEL.level());
  }

  @Test
  void anExceptionEscapingADpcRoutineIsBugCheck0x1ENamingTheDriverAndTheProcessorGoesOn() throws InterruptedException {
    KernelDpc dpc = services.initializeDpc((self, a, b) -> {
      throw new IllegalStateException("broken DPC");
    });
    dpc.setTargetProcessor(0);

    dpc.insertQueue(null, null);
    awaitTheCrashReport();

    BugCheck found = theBugCheck();
    assertThat(found.code()).isEqualTo(BugCheck.KMODE_EXCEPTION_NOT_HANDLED);
    assertThat(found.driver()).isEqualTo("\\Driver\\Deferred");
    assertThat(found.message()).contains("broken DPC");
    // The processor survived: the kernel's own flush marker still runs on it.
    kernel.io().processors().flush("test");
  }

  @Test
  void flushQueuedDpcsInADpcRoutineIsBugCheck0xB8() {
    KernelDpc dpc = services.initializeDpc((self, a, b) -> services.flushQueuedDpcs());

    dpc.insertQueue(null, null);
    awaitTheCrashReport();

    assertThat(theBugCheck().code()).isEqualTo(BugCheck.ATTEMPTED_SWITCH_FROM_DPC);
    assertThat(theBugCheck().message()).contains("KeFlushQueuedDpcs", "DPC routine");
    assertThat(theBugCheck().driver()).isEqualTo("\\Driver\\Deferred");
  }

  @Test
  void flushQueuedDpcsAtDispatchLevelIsBugCheck0xA() {
    Irql old = services.raiseIrqlToDpcLevel();
    try {
      assertThatThrownBy(services::flushQueuedDpcs).isInstanceOf(BugCheckException.class);
    } finally {
      kernel.io().irqls().set(old);
    }

    assertThat(theBugCheck().code()).isEqualTo(BugCheck.IRQL_NOT_LESS_OR_EQUAL);
    assertThat(theBugCheck().parameter2()).isEqualTo(Irql.DISPATCH_LEVEL.level());
  }

  // Work items, to get back to PASSIVE_LEVEL ------------------------------------------------------

  @Test
  void aWorkItemQueuedFromADpcRunsAtPassiveLevelOnASystemWorker() throws InterruptedException {
    AtomicReference<Run> seen = new AtomicReference<>();
    CountDownLatch ran = new CountDownLatch(1);
    KernelDpc dpc = services.initializeDpc((self, a, b) ->
        assertThat(services.queueExWorkItem(() -> {
          seen.set(observe(null, null));
          ran.countDown();
        })).isEqualTo(NtStatus.STATUS_SUCCESS));

    dpc.insertQueue(null, null);

    assertThat(ran.await(SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(seen.get().irql()).isEqualTo(Irql.PASSIVE_LEVEL);
    assertThat(seen.get().inDpc()).isFalse();
    assertThat(seen.get().processor()).as("not a processor's DPC worker").isEqualTo(-1);
    assertThat(seen.get().systemThread()).isTrue();
  }

  @Test
  void aWorkItemThatReturnsRaisedIsBugCheck0xE1AndTheWorkerGoesBackToPassiveLevel() throws InterruptedException {
    services.queueExWorkItem(() -> services.raiseIrqlToDpcLevel());
    awaitTheCrashReport();

    BugCheck found = theBugCheck();
    assertThat(found.code()).isEqualTo(BugCheck.WORKER_THREAD_RETURNED_AT_BAD_IRQL);
    assertThat(found.parameter2()).as("the IRQL it returned at").isEqualTo(Irql.DISPATCH_LEVEL.level());
    assertThat(found.driver()).isEqualTo("\\Driver\\Deferred");
    assertThat(found.message()).contains("work item", "returned at DISPATCH_LEVEL");
  }

  // Timers -----------------------------------------------------------------------------------------

  @Test
  void aTimersDpcRunsAtDispatchLevelOnAProcessorAndTheTimerIsSignalled() throws InterruptedException {
    AtomicReference<Run> seen = new AtomicReference<>();
    CountDownLatch ran = new CountDownLatch(1);
    KernelTimer timer = services.initializeTimer(() -> {
      seen.set(observe(null, null));
      ran.countDown();
    });

    timer.set(TimeUnit.MILLISECONDS.toNanos(5), 0);

    assertThat(ran.await(SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(seen.get().irql()).isEqualTo(Irql.DISPATCH_LEVEL);
    assertThat(seen.get().inDpc()).isTrue();
    assertThat(seen.get().processor()).isBetween(0, 1);
    assertThat(timer.isSignalled()).as("KeReadStateTimer after the expiry").isTrue();
  }

  @Test
  void setWithADpcQueuesThatDpcWithNullArgumentsAndSettingAgainResetsTheSignal() throws InterruptedException {
    List<Run> runs = new CopyOnWriteArrayList<>();
    KernelDpc dpc = services.initializeDpc((self, a, b) -> runs.add(observe(a, b)));
    KernelTimer timer = services.initializeTimer();

    assertThat(timer.isSignalled()).isFalse();
    timer.set(0, 0, dpc);
    IoLab.await("the timer's DPC", () -> runs.size() == 1);
    assertThat(runs.get(0).irql()).isEqualTo(Irql.DISPATCH_LEVEL);
    assertThat(runs.get(0).argument1()).isNull();
    assertThat(timer.isSignalled()).isTrue();

    assertThat(timer.set(TimeUnit.HOURS.toNanos(1), 0, dpc)).isFalse();
    assertThat(timer.isSignalled()).as("KeSetTimerEx resets the signal").isFalse();
    assertThat(timer.cancel()).isTrue();
    assertThat(timer.isSignalled()).as("KeCancelTimer leaves it").isFalse();
  }

  @Test
  void aTimerWithNoDpcIsSignalledAtExpiryAndAThreadWaitingOnItIsReleased() {
    KernelTimer timer = services.initializeTimer();

    timer.set(TimeUnit.MILLISECONDS.toNanos(20), 0);

    NtStatus waited = ((Waitable) timer).dispatcherEvent().await(Duration.ofSeconds(SECONDS), false);
    assertThat(waited).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(timer.isSignalled()).isTrue();
    assertThat(timer.isSet()).isFalse();
  }

  @Test
  void aPeriodicTimersDpcRunsEachPeriodAtDispatchLevel() throws InterruptedException {
    List<Run> runs = new CopyOnWriteArrayList<>();
    KernelDpc dpc = services.initializeDpc((self, a, b) -> runs.add(observe(a, b)));
    KernelTimer timer = services.initializeTimer();

    timer.set(0, TimeUnit.MILLISECONDS.toNanos(5), dpc);
    IoLab.await("three periods", () -> runs.size() >= 3);
    assertThat(timer.cancel()).isTrue();
    services.flushQueuedDpcs();

    assertThat(runs).allSatisfy(run -> assertThat(run.irql()).isEqualTo(Irql.DISPATCH_LEVEL));
    assertThat(timer.isSet()).isFalse();
  }

  @Test
  void settingATimerWithADpcOfNoImageIsAFault() {
    KernelTimer timer = services.initializeTimer();
    KernelDpc foreign = new KernelDpc() {
      @Override
      public boolean insertQueue(Object argument1, Object argument2) {
        return false;
      }

      @Override
      public boolean removeQueue() {
        return false;
      }

      @Override
      public void setTargetProcessor(int number) {}

      @Override
      public boolean isQueued() {
        return false;
      }
    };

    assertThatThrownBy(() -> timer.set(0, 0, foreign)).isInstanceOf(BugCheckException.class);
    assertThat(theBugCheck().message()).contains("KeSetTimerEx", "not a DPC from KeInitializeDpc");
  }
}
