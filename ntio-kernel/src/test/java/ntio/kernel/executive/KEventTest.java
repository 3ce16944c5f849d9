package ntio.kernel.executive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import ntio.api.EventType;
import ntio.ddk.NtStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class KEventTest {

  /** A thread blocked in one wait, and what the wait returned. */
  private static final class Waiter {
    final CompletableFuture<NtStatus> result = new CompletableFuture<>();
    final AtomicBoolean interruptedAfter = new AtomicBoolean();
    final Thread thread;

    Waiter(Supplier<NtStatus> wait) {
      thread =
          new Thread(
              () -> {
                try {
                  NtStatus status = wait.get();
                  interruptedAfter.set(Thread.currentThread().isInterrupted());
                  result.complete(status);
                } catch (Throwable t) {
                  result.completeExceptionally(t);
                }
              });
      thread.setDaemon(true);
      thread.start();
    }

    NtStatus status() throws Exception {
      return result.get(10, TimeUnit.SECONDS);
    }
  }

  /** Waits (without a time bound of its own; the class @Timeout bounds it) until n blocks queue. */
  private static void awaitQueued(KEvent event, int blocks) throws InterruptedException {
    while (event.waitListLength() < blocks) {
      Thread.sleep(1);
    }
  }

  private static KEvent notification() {
    return new KEvent(EventType.NOTIFICATION, false);
  }

  private static KEvent synchronization() {
    return new KEvent(EventType.SYNCHRONIZATION, false);
  }

  @Test
  void aNewEventHasTheStateItWasInitializedWith() {
    assertThat(new KEvent(EventType.NOTIFICATION, true).readState()).isTrue();
    assertThat(new KEvent(EventType.SYNCHRONIZATION, false).readState()).isFalse();
    assertThat(new KEvent(EventType.SYNCHRONIZATION, false).type())
        .isEqualTo(EventType.SYNCHRONIZATION);
  }

  @Test
  void setAndResetReturnThePreviousState() {
    KEvent event = notification();

    assertThat(event.set()).isFalse();
    assertThat(event.set()).isTrue();
    assertThat(event.reset()).isTrue();
    assertThat(event.reset()).isFalse();
    event.set();
    event.clear();
    assertThat(event.readState()).isFalse();
  }

  @Test
  void aNotificationEventReleasesEveryWaiterAndStaysSignalled() throws Exception {
    KEvent event = notification();
    List<Waiter> waiters = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      waiters.add(new Waiter(event::await));
    }
    awaitQueued(event, 3);

    event.set();

    for (Waiter waiter : waiters) {
      assertThat(waiter.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    }
    assertThat(event.readState()).isTrue();
    assertThat(event.await(Duration.ZERO)).isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  @Test
  void aSynchronizationEventReleasesExactlyOneWaiterPerSetAndResetsItself() throws Exception {
    KEvent event = synchronization();
    AtomicInteger released = new AtomicInteger();
    List<Waiter> waiters = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      waiters.add(
          new Waiter(
              () -> {
                NtStatus status = event.await();
                released.incrementAndGet();
                return status;
              }));
    }
    awaitQueued(event, 3);

    event.set();
    CompletableFuture.anyOf(waiters.stream().map(w -> w.result).toArray(CompletableFuture[]::new))
        .get(10, TimeUnit.SECONDS);

    assertThat(event.readState()).isFalse();
    assertThat(event.waitListLength()).isEqualTo(2);
    assertThat(waiters.stream().filter(w -> w.result.isDone())).hasSize(1);

    event.set();
    event.set();
    for (Waiter waiter : waiters) {
      assertThat(waiter.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    }
    assertThat(released).hasValue(3);
    assertThat(event.readState()).isFalse();
  }

  @Test
  void aSynchronizationEventWithoutWaitersStaysSignalledUntilOneWaitTakesIt() {
    KEvent event = synchronization();
    event.set();

    assertThat(event.readState()).isTrue();
    assertThat(event.await(Duration.ZERO)).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(event.readState()).isFalse();
    assertThat(event.await(Duration.ZERO)).isEqualTo(NtStatus.STATUS_TIMEOUT);
  }

  @Test
  void pulseReleasesTheCurrentWaitersOfANotificationEventAndLeavesItReset() throws Exception {
    KEvent event = notification();
    Waiter first = new Waiter(event::await);
    Waiter second = new Waiter(event::await);
    awaitQueued(event, 2);

    assertThat(event.pulse()).isFalse();

    assertThat(first.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(second.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(event.readState()).isFalse();
    assertThat(event.await(Duration.ZERO)).isEqualTo(NtStatus.STATUS_TIMEOUT);
  }

  @Test
  void pulseReleasesOneWaiterOfASynchronizationEvent() throws Exception {
    KEvent event = synchronization();
    Waiter first = new Waiter(event::await);
    awaitQueued(event, 1);
    Waiter second = new Waiter(event::await);
    awaitQueued(event, 2);

    event.pulse();

    assertThat(first.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(event.waitListLength()).isEqualTo(1);
    assertThat(second.result).isNotDone();
    assertThat(event.readState()).isFalse();
    event.set();
    assertThat(second.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  @Test
  void pulseWithoutWaitersLeavesTheEventNotSignalledAndReportsThePreviousState() {
    KEvent event = notification();
    event.set();

    assertThat(event.pulse()).isTrue();
    assertThat(event.readState()).isFalse();
    assertThat(event.pulse()).isFalse();
    assertThat(event.readState()).isFalse();
  }

  @Test
  void aZeroTimeoutPollsAndQueuesNothing() {
    KEvent event = synchronization();

    assertThat(event.await(Duration.ZERO)).isEqualTo(NtStatus.STATUS_TIMEOUT);
    assertThat(event.waitListLength()).isZero();
  }

  @Test
  void aWaitThatTimesOutReturnsStatusTimeoutAndLeavesNoWaitBlockBehind() {
    KEvent event = notification();

    assertThat(event.await(Duration.ofMillis(30))).isEqualTo(NtStatus.STATUS_TIMEOUT);
    assertThat(event.waitListLength()).isZero();
    assertThat(event.readState()).isFalse();
  }

  @Test
  void anInterruptedAlertableWaitReturnsAlertedAndKeepsTheInterruptStatus() throws Exception {
    KEvent event = notification();
    Waiter waiter = new Waiter(event::await);
    awaitQueued(event, 1);

    waiter.thread.interrupt();

    assertThat(waiter.status()).isEqualTo(NtStatus.STATUS_ALERTED);
    assertThat(waiter.interruptedAfter).isTrue();
    assertThat(event.waitListLength()).isZero();
  }

  @Test
  void anInterruptedThreadStillTakesAnEventThatIsAlreadySignalled() {
    KEvent event = synchronization();
    event.set();
    Thread.currentThread().interrupt();
    try {
      assertThat(event.await()).isEqualTo(NtStatus.STATUS_SUCCESS);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
      assertThat(event.await(Duration.ofSeconds(5))).isEqualTo(NtStatus.STATUS_ALERTED);
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void aNonAlertableWaitIgnoresInterruptsAndRestoresTheInterruptStatus() throws Exception {
    KEvent event = notification();
    Waiter timesOut = new Waiter(() -> event.await(Duration.ofMillis(200), false));
    awaitQueued(event, 1);

    timesOut.thread.interrupt();

    assertThat(timesOut.status()).isEqualTo(NtStatus.STATUS_TIMEOUT);
    assertThat(timesOut.interruptedAfter).isTrue();

    Waiter signalled = new Waiter(() -> event.await(null, false));
    awaitQueued(event, 1);
    signalled.thread.interrupt();
    event.set();
    assertThat(signalled.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(signalled.interruptedAfter).isTrue();
  }

  @Test
  void waitAnyReturnsWaitZeroPlusTheIndexOfTheEventThatSatisfiedIt() throws Exception {
    KEvent a = synchronization();
    KEvent b = synchronization();
    KEvent c = synchronization();
    Waiter waiter = new Waiter(() -> KEvent.waitForMultiple(List.of(a, b, c), WaitType.ANY, null));
    awaitQueued(c, 1);

    c.set();

    assertThat(waiter.status()).isEqualTo(NtStatus.of(2));
    assertThat(waiter.status().code()).isEqualTo(2);
    assertThat(c.readState()).isFalse();
    assertThat(a.waitListLength() + b.waitListLength()).isZero();
  }

  @Test
  void waitAnyTakesTheLowestSignalledIndexAndOnlyThatEvent() {
    KEvent a = synchronization();
    KEvent b = synchronization();
    KEvent c = synchronization();
    b.set();
    c.set();

    assertThat(KEvent.waitForMultiple(List.of(a, b, c), WaitType.ANY, Duration.ZERO))
        .isEqualTo(NtStatus.STATUS_WAIT_1);
    assertThat(b.readState()).isFalse();
    assertThat(c.readState()).isTrue();
    assertThat(KEvent.waitForMultiple(List.of(c, a), WaitType.ANY, Duration.ZERO))
        .isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  @Test
  void waitAnyOnANotificationEventLeavesItSignalled() {
    KEvent a = notification();
    a.set();

    assertThat(KEvent.waitForMultiple(List.of(a), WaitType.ANY, Duration.ZERO))
        .isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(a.readState()).isTrue();
  }

  @Test
  void waitAnyNamingAnEventTwiceReportsItsFirstPosition() {
    KEvent a = synchronization();
    KEvent b = synchronization();
    b.set();

    assertThat(KEvent.waitForMultiple(List.of(a, b, b), WaitType.ANY, Duration.ZERO))
        .isEqualTo(NtStatus.STATUS_WAIT_1);
  }

  @Test
  void waitAnyThatTimesOutLeavesNoWaitBlockOnAnyEvent() {
    KEvent a = synchronization();
    KEvent b = notification();

    assertThat(KEvent.waitForMultiple(List.of(a, b), WaitType.ANY, Duration.ofMillis(20)))
        .isEqualTo(NtStatus.STATUS_TIMEOUT);
    assertThat(a.waitListLength() + b.waitListLength()).isZero();
  }

  @Test
  void waitAllTakesNothingUntilEveryEventIsSignalled() throws Exception {
    KEvent a = synchronization();
    KEvent b = synchronization();
    Waiter waiter = new Waiter(() -> KEvent.waitForMultiple(List.of(a, b), WaitType.ALL, null));
    awaitQueued(a, 1);
    awaitQueued(b, 1);

    a.set();

    // The WaitAll must not have taken a on its own: another wait can still take it.
    assertThat(a.await(Duration.ZERO)).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(waiter.result).isNotDone();

    a.set();
    b.set();

    assertThat(waiter.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(a.readState()).isFalse();
    assertThat(b.readState()).isFalse();
    assertThat(a.waitListLength() + b.waitListLength()).isZero();
  }

  @Test
  void waitAllResetsTheSynchronizationEventsItTakesAndLeavesNotificationEventsSignalled() {
    KEvent sync = synchronization();
    KEvent notify = notification();
    sync.set();
    notify.set();

    assertThat(KEvent.waitForMultiple(List.of(sync, notify), WaitType.ALL, Duration.ZERO))
        .isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(sync.readState()).isFalse();
    assertThat(notify.readState()).isTrue();
  }

  @Test
  void waitAllThatCannotBeSatisfiedAtOnceTimesOutWithoutTakingAnything() {
    KEvent a = synchronization();
    KEvent b = synchronization();
    a.set();

    assertThat(KEvent.waitForMultiple(List.of(a, b), WaitType.ALL, Duration.ofMillis(20)))
        .isEqualTo(NtStatus.STATUS_TIMEOUT);
    assertThat(a.readState()).isTrue();
    assertThat(a.waitListLength() + b.waitListLength()).isZero();
  }

  @Test
  void waitAllNamingAnEventTwiceIsAnInvalidParameterMix() {
    KEvent a = notification();

    assertThat(KEvent.waitForMultiple(List.of(a, a), WaitType.ALL, Duration.ZERO))
        .isEqualTo(NtStatus.STATUS_INVALID_PARAMETER_MIX);
  }

  @Test
  void anEmptyOrOversizedObjectListIsAnInvalidParameter() {
    List<KEvent> tooMany = Collections.nCopies(KEvent.MAXIMUM_WAIT_OBJECTS + 1, notification());

    assertThat(KEvent.waitForMultiple(List.of(), WaitType.ANY, Duration.ZERO))
        .isEqualTo(NtStatus.STATUS_INVALID_PARAMETER);
    assertThat(KEvent.waitForMultiple(tooMany, WaitType.ANY, Duration.ZERO))
        .isEqualTo(NtStatus.STATUS_INVALID_PARAMETER);
  }

  @Test
  void aNegativeTimeoutIsAnNtioBug() {
    assertThatThrownBy(() -> notification().await(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-0.001");
  }

  /**
   * Five philosophers, five forks (synchronization events), each philosopher takes both of its
   * forks with one WaitAll, and two thieves grab single forks with WaitAny. If a WaitAll ever took
   * its forks non-atomically, or a synchronization event released two waiters at once, two threads
   * would hold the same fork; if the lock order could cycle, the test would deadlock.
   */
  @Test
  void waitAllTakesItsEventsAtomicallyUnderContention() throws Exception {
    int seats = 5;
    int meals = 2_000;
    List<KEvent> forks = new ArrayList<>();
    List<AtomicBoolean> held = new ArrayList<>();
    for (int i = 0; i < seats; i++) {
      forks.add(new KEvent(EventType.SYNCHRONIZATION, true));
      held.add(new AtomicBoolean());
    }
    AtomicInteger violations = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int seat = 0; seat < seats; seat++) {
      int left = seat;
      int right = (seat + 1) % seats;
      threads.add(
          new Thread(
              () -> {
                try {
                  start.await();
                  for (int meal = 0; meal < meals; meal++) {
                    NtStatus status =
                        KEvent.waitForMultiple(
                            List.of(forks.get(left), forks.get(right)), WaitType.ALL, null);
                    if (!status.equals(NtStatus.STATUS_SUCCESS)) {
                      throw new AssertionError("WaitAll returned " + status);
                    }
                    takeAndPutBack(held, forks, violations, left, right);
                  }
                } catch (Throwable t) {
                  failure.compareAndSet(null, t);
                }
              }));
    }
    for (int thief = 0; thief < 2; thief++) {
      List<KEvent> targets = List.of(forks.get(thief * 2), forks.get(thief * 2 + 1));
      threads.add(
          new Thread(
              () -> {
                try {
                  start.await();
                  for (int grab = 0; grab < meals; grab++) {
                    NtStatus status = KEvent.waitForMultiple(targets, WaitType.ANY, null);
                    int fork = forks.indexOf(targets.get(status.code()));
                    takeAndPutBack(held, forks, violations, fork);
                  }
                } catch (Throwable t) {
                  failure.compareAndSet(null, t);
                }
              }));
    }
    threads.forEach(Thread::start);
    start.countDown();
    for (Thread thread : threads) {
      thread.join();
    }

    assertThat(failure.get()).isNull();
    assertThat(violations).hasValue(0);
    for (KEvent fork : forks) {
      assertThat(fork.readState()).isTrue();
      assertThat(fork.waitListLength()).isZero();
    }
  }

  private static void takeAndPutBack(
      List<AtomicBoolean> held, List<KEvent> forks, AtomicInteger violations, int... taken) {
    for (int fork : taken) {
      if (!held.get(fork).compareAndSet(false, true)) {
        violations.incrementAndGet();
      }
    }
    Thread.onSpinWait();
    for (int fork : taken) {
      held.get(fork).set(false);
      forks.get(fork).set();
    }
  }
}
