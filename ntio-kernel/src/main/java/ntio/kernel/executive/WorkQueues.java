package ntio.kernel.executive;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import ntio.api.EventType;
import ntio.ddk.NtStatus;

/**
 * The system work queues of one kernel instance: {@code ExQueueWorkItem} and the System process's
 * worker threads.
 *
 * <p>Each {@link WorkQueueType} is served by a fixed set of threads made by the {@link
 * ThreadFactory} given at start (the kernel's makes System process threads; this class creates
 * threads no other way). Items of one queue are taken in FIFO order; a queue with one thread runs
 * them one after another in that order, a queue with several may run them side by side.
 *
 * <p>A work item that throws never kills its worker: the worker raises bug check {@code
 * SYSTEM_THREAD_EXCEPTION_NOT_HANDLED} (0x7E) and goes on serving, as the kernel is halted anyway.
 * Its first parameter is the exception code {@link BugCheck#exceptionCodeOf} gives the throwable;
 * the others (in NT the faulting address and the exception and context records) are 0, and the
 * record's stack is the throwable's.
 *
 * <p>Thread-safe.
 */
public final class WorkQueues {

  /*
   * Implementation notes:
   *
   * acceptLock orders "queue an item" against "stop accepting and post the stop markers": without
   * it an item could be added behind the markers and never run. It is held only for that check and
   * an unbounded enqueue, never while a routine runs.
   */

  /** Threads per queue when the caller does not say: NT's defaults for a small system. */
  public static final Map<WorkQueueType, Integer> DEFAULT_THREADS =
      Map.of(WorkQueueType.CRITICAL, 5, WorkQueueType.DELAYED, 3, WorkQueueType.HYPER_CRITICAL, 1);

  private final BugChecks bugChecks;
  private final Map<WorkQueueType, WorkQueue> queues;

  private final ReentrantLock acceptLock = new ReentrantLock();

  /** True until shutdown begins; never true again. */
  @GuardedBy("acceptLock")
  private boolean accepting = true;

  private WorkQueues(
      ThreadFactory threadFactory, BugChecks bugChecks, Map<WorkQueueType, Integer> threads) {
    this.bugChecks = bugChecks;
    Map<WorkQueueType, WorkQueue> created = new EnumMap<>(WorkQueueType.class);
    for (WorkQueueType type : WorkQueueType.values()) {
      Integer count = threads.get(type);
      if (count == null || count < 1) {
        throw new IllegalArgumentException(
            "the " + type + " queue needs at least one thread, was given " + count);
      }
      created.put(type, new WorkQueue(type, count, threadFactory, this::runItem));
    }
    this.queues = created;
  }

  /**
   * Creates the queues with {@link #DEFAULT_THREADS} and starts their threads.
   *
   * <p>Models {@code ExpWorkerInitialization} (partial: no dynamic threads, no balance manager).
   *
   * @param bugChecks where a work item that throws is reported
   */
  public static WorkQueues start(ThreadFactory threadFactory, BugChecks bugChecks) {
    return start(threadFactory, bugChecks, DEFAULT_THREADS);
  }

  /**
   * Creates the queues with the given thread counts (every queue type must have at least one) and
   * starts their threads.
   *
   * <p>Models {@code ExpWorkerInitialization} (partial: no dynamic threads, no balance manager).
   *
   * @param bugChecks where a work item that throws is reported
   */
  public static WorkQueues start(
      ThreadFactory threadFactory, BugChecks bugChecks, Map<WorkQueueType, Integer> threads) {
    Objects.requireNonNull(threadFactory, "threadFactory");
    Objects.requireNonNull(bugChecks, "bugChecks");
    Objects.requireNonNull(threads, "threads");
    WorkQueues workQueues = new WorkQueues(threadFactory, bugChecks, threads);
    workQueues.queues.values().forEach(WorkQueue::start);
    return workQueues;
  }

  /**
   * Queues {@code routine} to run on a worker thread of {@code type}.
   *
   * <p>Models {@code ExQueueWorkItem} (full).
   *
   * @return {@code STATUS_SUCCESS}, or {@code STATUS_SYSTEM_SHUTDOWN} once shutdown has begun
   */
  public NtStatus queue(WorkQueueType type, Runnable routine) {
    return queue(type, routine, null);
  }

  /**
   * Queues {@code routine} on behalf of {@code driver}, which a bug check names if the routine
   * throws.
   *
   * <p>Models {@code ExQueueWorkItem} (full); {@code IoQueueWorkItem} uses this to name the driver.
   *
   * @param driver the driver image or service name, or null
   * @return {@code STATUS_SUCCESS}, or {@code STATUS_SYSTEM_SHUTDOWN} once shutdown has begun
   */
  public NtStatus queue(WorkQueueType type, Runnable routine, String driver) {
    WorkQueue queue = queueOf(type);
    Objects.requireNonNull(routine, "routine");
    acceptLock.lock();
    try {
      if (!accepting) {
        return NtStatus.STATUS_SYSTEM_SHUTDOWN;
      }
      queue.enqueue(new WorkQueue.Item(routine, driver, false));
      return NtStatus.STATUS_SUCCESS;
    } finally {
      acceptLock.unlock();
    }
  }

  /**
   * Runs {@code routine} on a worker thread of {@code type} and waits, not alertable, until it has
   * returned: how a caller in another process has the System process do work for it.
   *
   * <p>Models the queue-and-wait pattern of {@code IopLoadUnloadDriver} (full): the caller queues a
   * work item and blocks on a {@link KEvent} that the item sets when done. When the caller already
   * is a worker thread of {@code type}, the routine runs inline instead, as NT runs the load
   * directly when it is already in the System process: queuing would make a one-thread queue wait
   * on itself forever.
   *
   * <p>If the routine throws, the worker raises bug check 0x7E as for any work item, and this
   * method throws a {@link BugCheckException} on the caller's thread too: the machine has stopped.
   *
   * @implNote The wait ignores interrupts (NT's non-alertable {@code KernelMode} wait) and restores
   *     the interrupt status afterwards. If a queue is shut down with its threads stuck, an item
   *     queued before the shutdown may never run and this call never returns, as in NT.
   * @param driver the driver to name if the routine throws, or null
   * @return {@code STATUS_SUCCESS} with the routine's result, or {@code STATUS_SYSTEM_SHUTDOWN}
   *     (and no value) if shutdown had begun and the routine did not run
   * @throws BugCheckException if the routine threw or raised a bug check
   */
  public <T> WorkResult<T> runAndWait(WorkQueueType type, Supplier<T> routine, String driver) {
    WorkQueue queue = queueOf(type);
    Objects.requireNonNull(routine, "routine");
    if (queue.isWorker(Thread.currentThread())) {
      T value;
      try {
        value = routine.get();
      } catch (BugCheckException alreadyRaised) {
        throw alreadyRaised;
      } catch (Throwable thrown) {
        throw raiseUnhandled(thrown, driver);
      }
      return new WorkResult<>(NtStatus.STATUS_SUCCESS, value);
    }

    KEvent done = new KEvent(EventType.NOTIFICATION, false);
    Completion<T> completion = new Completion<>();
    NtStatus queued =
        queue(
            type,
            () -> {
              try {
                completion.value = routine.get();
              } catch (BugCheckException alreadyRaised) {
                completion.failure = alreadyRaised;
              } catch (Throwable thrown) {
                completion.failure = raiseUnhandled(thrown, driver);
              } finally {
                done.set();
              }
            },
            driver);
    if (!queued.isSuccess()) {
      return new WorkResult<>(queued, null);
    }
    NtStatus waited = done.await(null, false);
    if (!waited.equals(NtStatus.STATUS_SUCCESS)) {
      throw new IllegalStateException("non-alertable infinite wait returned " + waited);
    }
    BugCheckException failure = completion.failure;
    if (failure != null) {
      throw new BugCheckException(failure.bugCheck(), failure);
    }
    return new WorkResult<>(NtStatus.STATUS_SUCCESS, completion.value);
  }

  /**
   * As {@link #runAndWait(WorkQueueType, Supplier, String)} with no driver to name.
   *
   * <p>Models the queue-and-wait pattern of {@code IopLoadUnloadDriver} (full).
   */
  public <T> WorkResult<T> runAndWait(WorkQueueType type, Supplier<T> routine) {
    return runAndWait(type, routine, null);
  }

  /**
   * Whether the calling thread is a worker thread of {@code type}.
   *
   * <p>Models the "already in the System process" test of {@code IopLoadUnloadDriver} (partial:
   * asks about one queue's threads, not the whole process).
   */
  public boolean isWorkerThread(WorkQueueType type) {
    return queueOf(type).isWorker(Thread.currentThread());
  }

  /**
   * Stops accepting work, lets every worker finish what was queued before, and waits up to {@code
   * timeout} in all for the threads to end.
   *
   * <p>Models the executive worker shutdown of {@code ExShutdownSystem} (full). Calling it again
   * only waits again. When called on one of these worker threads (a crash handler stopping the
   * kernel from a failing work item), that thread is not waited for: it stops when its current item
   * returns.
   *
   * @implNote The wait ignores interrupts and restores the interrupt status afterwards.
   * @return the worker threads still alive when the time ran out, empty if all stopped
   */
  public List<Thread> shutdown(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("negative shutdown timeout " + timeout);
    }
    acceptLock.lock();
    try {
      if (accepting) {
        accepting = false;
        queues.values().forEach(WorkQueue::postStops);
      }
    } finally {
      acceptLock.unlock();
    }
    long deadline = System.nanoTime() + Math.min(timeout.toNanos(), TimeUnit.DAYS.toNanos(365));
    boolean interrupted = false;
    List<Thread> stuck = new ArrayList<>();
    Thread self = Thread.currentThread();
    for (WorkQueue queue : queues.values()) {
      for (Thread thread : queue.threads()) {
        if (thread == self) {
          continue;
        }
        while (thread.isAlive()) {
          long remaining = deadline - System.nanoTime();
          if (remaining <= 0) {
            break;
          }
          try {
            TimeUnit.NANOSECONDS.timedJoin(thread, remaining);
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
        if (thread.isAlive()) {
          stuck.add(thread);
        }
      }
    }
    if (interrupted) {
      self.interrupt();
    }
    return List.copyOf(stuck);
  }

  /**
   * Whether shutdown has begun: {@link #queue} now returns {@code STATUS_SYSTEM_SHUTDOWN}.
   *
   * <p>Models testing whether {@code ExShutdownSystem} has begun stopping the workers (full).
   */
  public boolean isShutdown() {
    acceptLock.lock();
    try {
      return !accepting;
    } finally {
      acceptLock.unlock();
    }
  }

  /**
   * A snapshot of one queue: threads, queued, completed, depth and running.
   *
   * <p>Models the counters of {@code EX_WORK_QUEUE} ({@code WorkItemsProcessed}, the queue depth,
   * {@code DynamicThreadCount}) (partial).
   */
  public WorkQueueStats statistics(WorkQueueType type) {
    return queueOf(type).stats();
  }

  /**
   * Snapshots of every queue, in {@link WorkQueueType} order.
   *
   * <p>Models the counters of {@code ExWorkerQueue} (partial).
   */
  public List<WorkQueueStats> statistics() {
    return queues.values().stream().map(WorkQueue::stats).toList();
  }

  private WorkQueue queueOf(WorkQueueType type) {
    return queues.get(Objects.requireNonNull(type, "type"));
  }

  /** Runs one item on the calling worker thread; what it throws is handled here. */
  private void runItem(WorkQueue.Item item) {
    try {
      item.routine().run();
    } catch (BugCheckException alreadyRaised) {
      // Recorded and handled where it was raised; the worker goes on serving a halted machine.
    } catch (Throwable thrown) {
      raiseUnhandled(thrown, item.driver());
    }
  }

  /**
   * Raises bug check 0x7E for {@code thrown} and returns the exception that unwinds it, so the
   * caller decides where the unwinding ends.
   */
  private BugCheckException raiseUnhandled(Throwable thrown, String driver) {
    try {
      throw bugChecks.raise(
          BugCheck.SYSTEM_THREAD_EXCEPTION_NOT_HANDLED,
          BugCheck.exceptionCodeOf(thrown),
          0,
          0,
          0,
          driver,
          "a system worker thread's routine threw " + thrown,
          thrown);
    } catch (BugCheckException raised) {
      return raised;
    }
  }

  /** Written by the worker before it sets the done event; read by the caller after the wait. */
  private static final class Completion<T> {
    volatile T value;
    volatile BugCheckException failure;
  }
}
