package ntio.kernel.ke;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import ntio.ddk.Irql;
import ntio.kernel.executive.BugCheck;
import ntio.kernel.executive.BugChecks;

/**
 * A kernel's processors, as far as DPCs see them: each has its own DPC queue drained by its own
 * System worker thread at DISPATCH_LEVEL. Models {@code KeNumberProcessors} with each processor's
 * {@code KPRCB.DpcData} (partial: no DPC importance, no threaded DPCs, no DPC watchdog).
 *
 * <p>Where a DPC goes ({@code KeInsertQueueDpc}): to its target processor if it has one ({@code
 * KeSetTargetProcessorDpc}); else to the processor the inserting thread is, when that thread is
 * one of these workers (a DPC queuing a DPC); else to a processor chosen round-robin, as an
 * interrupt would arrive on any processor.
 *
 * <p>Thread-safe. One instance per kernel; which worker the calling thread is lives in this
 * instance's per-thread value, never in a static.
 */
public final class Processors {

  private final Irqls irqls;
  private final DpcQueue[] queues;
  private final ThreadLocal<DpcQueue> current = new ThreadLocal<>();
  private final AtomicInteger nextProcessor = new AtomicInteger();

  /**
   * @param count how many processors, at least 1
   * @param threads makes each processor's worker; a System thread in a kernel
   */
  public Processors(int count, Irqls irqls, BugChecks bugChecks, ThreadFactory threads) {
    if (count < 1) {
      throw new IllegalArgumentException("at least one processor: " + count);
    }
    this.irqls = Objects.requireNonNull(irqls, "irqls");
    Objects.requireNonNull(bugChecks, "bugChecks");
    Objects.requireNonNull(threads, "threads");
    this.queues = new DpcQueue[count];
    for (int number = 0; number < count; number++) {
      queues[number] = new DpcQueue(number, this, irqls, bugChecks, threads);
    }
  }

  /** How many processors. Models {@code KeNumberProcessors}. */
  public int count() {
    return queues.length;
  }

  /**
   * The processor the calling thread is, if it is one of these workers. Models {@code
   * KeGetCurrentProcessorNumber} (partial: other threads have no processor).
   */
  public OptionalInt currentProcessor() {
    DpcQueue queue = current.get();
    return queue == null ? OptionalInt.empty() : OptionalInt.of(queue.number());
  }

  /** How many DPCs wait on processor {@code number}'s queue. */
  public int queueDepth(int number) {
    return queues[number].depth();
  }

  /**
   * Queues {@code dpc} with its system arguments. Models {@code KeInsertQueueDpc} (full but for
   * importance).
   *
   * @return false when it was already queued: nothing changed
   */
  public boolean insert(KDpc dpc, Object argument1, Object argument2) {
    return choose(dpc).insert(dpc, argument1, argument2);
  }

  /**
   * Queues a timer's DPC at its expiry: on its target processor if it has one, else on processor
   * 0, the clock processor. NT expires timers in the clock interrupt's DPC ({@code
   * KiTimerExpiration}) and inserts their DPCs there, on that processor's own queue, so one
   * periodic timer's DPC does not overlap itself on two processors unless the driver targets it
   * (partial: ntio has one clock processor, where NT may spread expiry over processors).
   */
  public boolean insertAtExpiry(KDpc dpc) {
    int target = dpc.target();
    return queues[target != KDpc.NO_TARGET ? target : 0].insert(dpc, null, null);
  }

  /**
   * Takes {@code dpc} off its queue if it is still waiting there. Models {@code KeRemoveQueueDpc}
   * (full).
   *
   * @return whether this call took it off (false when it was not queued, or its processor took it
   *     to run first)
   */
  public boolean remove(KDpc dpc) {
    DpcQueue queue = dpc.queue();
    return queue != null && queue.remove(dpc);
  }

  /**
   * Sends {@code dpc}'s later inserts to processor {@code number}. Models {@code
   * KeSetTargetProcessorDpc} (full); the caller checks the number ({@link #count()}).
   */
  public void setTarget(KDpc dpc, int number) {
    Objects.checkIndex(number, queues.length);
    dpc.setTarget(number);
  }

  /**
   * Waits until every DPC queued on any processor before the call has run: a marker is queued
   * behind them on each processor that ever ran a DPC, and each runs in order. Models {@code
   * KeFlushQueuedDpcs} (full).
   *
   * <p>It waits, so it may be called only at PASSIVE_LEVEL: from a DPC routine (or on a processor
   * worker) it is bug check 0xB8 {@code ATTEMPTED_SWITCH_FROM_DPC}, as any wait there is; at
   * another IRQL above PASSIVE_LEVEL, 0xA {@code IRQL_NOT_LESS_OR_EQUAL} (P2 the IRQL), the bug
   * check of a wait that blocks at DISPATCH_LEVEL. Each names {@code driver}.
   */
  public void flush(String driver) {
    IrqlState state = irqls.state();
    if (state.inDpc() || current.get() != null) {
      throw irqls.violation(BugCheck.ATTEMPTED_SWITCH_FROM_DPC, 0, 0, 0, 0, driver,
          "KeFlushQueuedDpcs in a DPC routine: it waits for the processor's own queue, and a DPC may not wait");
    }
    Irql irql = state.irql();
    if (irql != Irql.PASSIVE_LEVEL) {
      throw irqls.violation(BugCheck.IRQL_NOT_LESS_OR_EQUAL, 0, irql.level(), 0, 0, driver,
          "KeFlushQueuedDpcs at " + irql + ": it waits, and may be called only at PASSIVE_LEVEL");
    }
    CountDownLatch flushed = new CountDownLatch(queues.length);
    for (DpcQueue queue : queues) {
      KDpc marker = new KDpc(null, "the flush marker of processor " + queue.number(), 0,
          (first, second) -> flushed.countDown());
      if (!queue.insertMarker(marker)) {
        flushed.countDown();
      }
    }
    awaitFlushed(flushed);
  }

  /** Waits, not alertably, for the markers; a processor that stops meanwhile has nothing to wait for. */
  private void awaitFlushed(CountDownLatch flushed) {
    boolean interrupted = false;
    long step = Duration.ofMillis(100).toNanos();
    try {
      while (true) {
        try {
          if (flushed.await(step, TimeUnit.NANOSECONDS) || allStopped()) {
            return;
          }
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private boolean allStopped() {
    for (DpcQueue queue : queues) {
      if (!queue.isStopped()) {
        return false;
      }
    }
    return true;
  }

  /** Stops every processor after the DPC it runs; DPCs still queued never run. Idempotent. */
  public void shutdown() {
    for (DpcQueue queue : queues) {
      queue.shutdown();
    }
  }

  /** On a worker as it starts: the calling thread is that processor from now on. */
  void bind(DpcQueue queue) {
    current.set(queue);
  }

  private DpcQueue choose(KDpc dpc) {
    int target = dpc.target();
    if (target != KDpc.NO_TARGET) {
      return queues[target];
    }
    DpcQueue here = current.get();
    if (here != null) {
      return here;
    }
    return queues[Math.floorMod(nextProcessor.getAndIncrement(), queues.length)];
  }
}
