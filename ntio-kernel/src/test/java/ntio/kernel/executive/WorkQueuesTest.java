package ntio.kernel.executive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import ntio.ddk.NtStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class WorkQueuesTest {

  /** Stands in for the kernel's System-process thread factory and remembers what it made. */
  private static final class SystemThreads implements ThreadFactory {
    final List<Thread> made = new CopyOnWriteArrayList<>();

    @Override
    public Thread newThread(Runnable routine) {
      Thread thread = new Thread(routine, "System worker " + made.size());
      thread.setDaemon(true);
      made.add(thread);
      return thread;
    }
  }

  private final SystemThreads factory = new SystemThreads();
  private final RecordingHandler handler = new RecordingHandler();
  private final BugChecks bugChecks = new BugChecks(handler);

  /** One thread per queue, so that items of a queue run strictly in order. */
  private final WorkQueues queues =
      WorkQueues.start(
          factory,
          bugChecks,
          Map.of(
              WorkQueueType.CRITICAL,
              1,
              WorkQueueType.DELAYED,
              1,
              WorkQueueType.HYPER_CRITICAL,
              1));

  @AfterEach
  void stopQueues() {
    assertThat(queues.shutdown(Duration.ofSeconds(5))).isEmpty();
  }

  @Test
  void everyQueueIsServedByItsOwnFactoryMadeThreads() throws Exception {
    for (WorkQueueType type : WorkQueueType.values()) {
      CompletableFuture<Thread> ranOn = new CompletableFuture<>();
      CompletableFuture<Boolean> isWorker = new CompletableFuture<>();

      NtStatus status =
          queues.queue(
              type,
              () -> {
                isWorker.complete(queues.isWorkerThread(type));
                ranOn.complete(Thread.currentThread());
              });

      assertThat(status).isEqualTo(NtStatus.STATUS_SUCCESS);
      assertThat(factory.made).contains(ranOn.get(5, TimeUnit.SECONDS));
      assertThat(isWorker.get(5, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(factory.made).hasSize(3);
    assertThat(queues.isWorkerThread(WorkQueueType.DELAYED)).isFalse();
  }

  @Test
  void theDefaultThreadCountsFollowNt() {
    SystemThreads defaults = new SystemThreads();
    WorkQueues started = WorkQueues.start(defaults, bugChecks);
    try {
      assertThat(started.statistics())
          .extracting(WorkQueueStats::type, WorkQueueStats::threads)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(WorkQueueType.CRITICAL, 5),
              org.assertj.core.groups.Tuple.tuple(WorkQueueType.DELAYED, 3),
              org.assertj.core.groups.Tuple.tuple(WorkQueueType.HYPER_CRITICAL, 1));
      assertThat(defaults.made).hasSize(9);
    } finally {
      assertThat(started.shutdown(Duration.ofSeconds(5))).isEmpty();
    }
  }

  @Test
  void itemsOfOneQueueRunInTheOrderTheyWereQueued() throws Exception {
    List<Integer> order = new CopyOnWriteArrayList<>();
    CountDownLatch done = new CountDownLatch(100);
    for (int i = 0; i < 100; i++) {
      int item = i;
      queues.queue(
          WorkQueueType.DELAYED,
          () -> {
            order.add(item);
            done.countDown();
          });
    }

    done.await();

    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      expected.add(i);
    }
    assertThat(order).isEqualTo(expected);
  }

  @Test
  void runAndWaitFromANonWorkerRunsOnAWorkerAndReturnsTheValue() {
    WorkResult<Thread> result = queues.runAndWait(WorkQueueType.DELAYED, Thread::currentThread);

    assertThat(result.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(factory.made).contains(result.value());
    assertThat(result.value()).isNotSameAs(Thread.currentThread());
  }

  @Test
  void runAndWaitFromAWorkerOfThatQueueRunsInlineInsteadOfDeadlocking() throws Exception {
    CompletableFuture<WorkResult<Thread>> inner = new CompletableFuture<>();
    CompletableFuture<Thread> outer = new CompletableFuture<>();

    queues.queue(
        WorkQueueType.DELAYED,
        () -> {
          outer.complete(Thread.currentThread());
          inner.complete(queues.runAndWait(WorkQueueType.DELAYED, Thread::currentThread));
        });

    WorkResult<Thread> result = inner.get(10, TimeUnit.SECONDS);
    assertThat(result.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(result.value()).isSameAs(outer.get());
  }

  @Test
  void runAndWaitFromAWorkerOfAnotherQueueQueuesToThatQueue() throws Exception {
    CompletableFuture<WorkResult<Thread>> inner = new CompletableFuture<>();
    CompletableFuture<Thread> outer = new CompletableFuture<>();

    queues.queue(
        WorkQueueType.CRITICAL,
        () -> {
          outer.complete(Thread.currentThread());
          inner.complete(queues.runAndWait(WorkQueueType.DELAYED, Thread::currentThread));
        });

    WorkResult<Thread> result = inner.get(10, TimeUnit.SECONDS);
    assertThat(result.value()).isNotSameAs(outer.get()).isIn(factory.made);
  }

  @Test
  void aWorkItemThatThrowsBugChecksAndTheWorkerKeepsServing() throws Exception {
    CompletableFuture<Thread> failedOn = new CompletableFuture<>();
    queues.queue(
        WorkQueueType.DELAYED,
        () -> {
          failedOn.complete(Thread.currentThread());
          throw new IllegalStateException("driver bug");
        },
        "Faulty.jar");
    CompletableFuture<Thread> nextOn = new CompletableFuture<>();
    queues.queue(WorkQueueType.DELAYED, () -> nextOn.complete(Thread.currentThread()));

    assertThat(nextOn.get(5, TimeUnit.SECONDS)).isSameAs(failedOn.get()).matches(Thread::isAlive);
    BugCheck bugCheck = handler.only();
    assertThat(bugCheck.code()).isEqualTo(BugCheck.SYSTEM_THREAD_EXCEPTION_NOT_HANDLED);
    assertThat(bugCheck.parameter1()).isEqualTo(0xE06D7363L);
    assertThat(bugCheck.driver()).isEqualTo("Faulty.jar");
    assertThat(bugCheck.message()).contains("java.lang.IllegalStateException: driver bug");
    assertThat(bugCheck.stack()).startsWith("java.lang.IllegalStateException: driver bug");
    assertThat(handler.threads).containsExactly(failedOn.get());
    assertThat(bugChecks.isHalted()).isTrue();
  }

  @Test
  void aNullDereferenceInAWorkItemIsAnAccessViolation() throws Exception {
    CountDownLatch ran = new CountDownLatch(1);
    AtomicInteger length = new AtomicInteger();
    queues.queue(
        WorkQueueType.CRITICAL,
        () -> {
          ran.countDown();
          String nothing = null;
          length.set(nothing.length());
        });
    ran.await();
    queues.runAndWait(WorkQueueType.CRITICAL, () -> "drained");

    assertThat(handler.only().parameter1()).isEqualTo(0xC0000005L);
  }

  @Test
  void runAndWaitOfARoutineThatThrowsUnwindsTheCallerWithTheBugCheck() {
    BugCheckException thrown =
        Raised.by(
            () ->
                queues.runAndWait(
                    WorkQueueType.DELAYED,
                    () -> {
                      throw new ArithmeticException("/ by zero");
                    },
                    "Math.jar"));

    assertThat(thrown.bugCheck()).isEqualTo(handler.only());
    assertThat(thrown.bugCheck().parameter1()).isEqualTo(0xC0000094L);
    assertThat(thrown.bugCheck().driver()).isEqualTo("Math.jar");
    assertThat(queues.runAndWait(WorkQueueType.DELAYED, () -> 42).value()).isEqualTo(42);
  }

  @Test
  void runAndWaitInlineOfARoutineThatThrowsRaisesTheSameBugCheck() throws Exception {
    CompletableFuture<BugCheckException> inner = new CompletableFuture<>();
    queues.queue(
        WorkQueueType.DELAYED,
        () -> {
          try {
            queues.runAndWait(
                WorkQueueType.DELAYED,
                () -> {
                  throw new IllegalArgumentException("inline");
                });
          } catch (BugCheckException e) {
            inner.complete(e);
          }
        });

    assertThat(inner.get(5, TimeUnit.SECONDS).bugCheck()).isEqualTo(handler.only());
    assertThat(handler.only().code()).isEqualTo(BugCheck.SYSTEM_THREAD_EXCEPTION_NOT_HANDLED);
  }

  @Test
  void aWorkItemThatRaisesABugCheckItselfIsNotReportedTwice() throws Exception {
    queues.runAndWait(
        WorkQueueType.DELAYED,
        () -> {
          try {
            bugChecks.raise(BugCheck.MANUALLY_INITIATED_CRASH, 0, 0, 0, 0, null, "manual");
          } catch (BugCheckException expected) {
            // The raising routine unwinds; nothing more to do.
          }
          return null;
        });
    queues.queue(
        WorkQueueType.DELAYED,
        () -> bugChecks.raise(BugCheck.MANUALLY_INITIATED_CRASH, 1, 0, 0, 0, null, "again"));
    queues.runAndWait(WorkQueueType.DELAYED, () -> "drained");

    assertThat(handler.only().code()).isEqualTo(BugCheck.MANUALLY_INITIATED_CRASH);
    assertThat(bugChecks.secondary())
        .singleElement()
        .extracting(BugCheck::code)
        .isEqualTo(BugCheck.MANUALLY_INITIATED_CRASH);
  }

  @Test
  void afterShutdownBeginsQueueingReturnsSystemShutdown() {
    assertThat(queues.shutdown(Duration.ofSeconds(5))).isEmpty();

    assertThat(queues.isShutdown()).isTrue();
    assertThat(queues.queue(WorkQueueType.DELAYED, () -> {}))
        .isEqualTo(NtStatus.STATUS_SYSTEM_SHUTDOWN);
    WorkResult<String> result = queues.runAndWait(WorkQueueType.CRITICAL, () -> "never");
    assertThat(result.status()).isEqualTo(NtStatus.STATUS_SYSTEM_SHUTDOWN);
    assertThat(result.value()).isNull();
  }

  @Test
  void shutdownDrainsWhatWasQueuedAndJoinsEveryThread() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger ran = new AtomicInteger();
    queues.queue(
        WorkQueueType.DELAYED,
        () -> {
          awaitUninterruptibly(release);
          ran.incrementAndGet();
        });
    for (int i = 0; i < 10; i++) {
      queues.queue(WorkQueueType.DELAYED, ran::incrementAndGet);
    }
    CompletableFuture<List<Thread>> stuck =
        CompletableFuture.supplyAsync(() -> queues.shutdown(Duration.ofSeconds(10)));
    while (!queues.isShutdown()) {
      Thread.sleep(1);
    }

    release.countDown();

    assertThat(stuck.get(15, TimeUnit.SECONDS)).isEmpty();
    assertThat(ran).hasValue(11);
    assertThat(factory.made).noneMatch(Thread::isAlive);
    assertThat(queues.statistics(WorkQueueType.DELAYED))
        .isEqualTo(new WorkQueueStats(WorkQueueType.DELAYED, 1, 11, 11, 0, 0));
  }

  @Test
  void shutdownReportsTheThreadsThatDidNotStopInTime() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Thread> blocked = new CompletableFuture<>();
    queues.queue(
        WorkQueueType.CRITICAL,
        () -> {
          blocked.complete(Thread.currentThread());
          awaitUninterruptibly(release);
        });
    Thread worker = blocked.get(5, TimeUnit.SECONDS);

    assertThat(queues.shutdown(Duration.ofMillis(50))).containsExactly(worker);

    release.countDown();
    assertThat(queues.shutdown(Duration.ofSeconds(5))).isEmpty();
  }

  @Test
  void shutdownCalledOnAWorkerThreadDoesNotWaitForThatThread() throws Exception {
    CompletableFuture<List<Thread>> stuck = new CompletableFuture<>();
    queues.queue(
        WorkQueueType.DELAYED, () -> stuck.complete(queues.shutdown(Duration.ofSeconds(10))));

    assertThat(stuck.get(15, TimeUnit.SECONDS)).isEmpty();
  }

  @Test
  void statisticsCountQueuedCompletedWaitingAndRunningItems() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    queues.queue(
        WorkQueueType.DELAYED,
        () -> {
          started.countDown();
          awaitUninterruptibly(release);
        });
    started.await();
    for (int i = 0; i < 3; i++) {
      queues.queue(WorkQueueType.DELAYED, () -> {});
    }

    assertThat(queues.statistics(WorkQueueType.DELAYED))
        .isEqualTo(new WorkQueueStats(WorkQueueType.DELAYED, 1, 4, 0, 3, 1));

    release.countDown();
    assertThat(queues.shutdown(Duration.ofSeconds(5))).isEmpty();
    assertThat(queues.statistics(WorkQueueType.DELAYED))
        .isEqualTo(new WorkQueueStats(WorkQueueType.DELAYED, 1, 4, 4, 0, 0));
    assertThat(queues.statistics(WorkQueueType.CRITICAL))
        .isEqualTo(new WorkQueueStats(WorkQueueType.CRITICAL, 1, 0, 0, 0, 0));
  }

  @Test
  void anInterruptAimedAtOneItemDoesNotReachTheNext() throws Exception {
    queues.queue(WorkQueueType.DELAYED, () -> Thread.currentThread().interrupt());
    WorkResult<Boolean> next =
        queues.runAndWait(WorkQueueType.DELAYED, () -> Thread.currentThread().isInterrupted());

    assertThat(next.value()).isFalse();
  }

  @Test
  void runAndWaitIgnoresInterruptsOfTheCallerAndRestoresThem() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    AtomicReference<WorkResult<String>> result = new AtomicReference<>();
    AtomicReference<Boolean> interruptedAfter = new AtomicReference<>();
    Thread caller =
        new Thread(
            () -> {
              result.set(
                  queues.runAndWait(
                      WorkQueueType.DELAYED,
                      () -> {
                        started.countDown();
                        awaitUninterruptibly(release);
                        return "done";
                      }));
              interruptedAfter.set(Thread.currentThread().isInterrupted());
            });
    caller.start();
    started.await();

    caller.interrupt();
    release.countDown();
    caller.join();

    assertThat(result.get().value()).isEqualTo("done");
    assertThat(interruptedAfter.get()).isTrue();
  }

  @Test
  void aQueueWithoutThreadsIsAnNtioBug() {
    assertThatThrownBy(
            () ->
                WorkQueues.start(
                    factory,
                    bugChecks,
                    Map.of(WorkQueueType.CRITICAL, 1, WorkQueueType.DELAYED, 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("DELAYED")
        .hasMessageContaining("0");
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    boolean interrupted = false;
    while (true) {
      try {
        latch.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
