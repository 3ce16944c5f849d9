package ntio.kernel.ke;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.ArrayDeque;
import java.util.concurrent.ThreadFactory;
import ntio.ddk.Irql;
import ntio.kernel.executive.BugCheck;
import ntio.kernel.executive.BugCheckException;
import ntio.kernel.executive.BugChecks;

/**
 * One processor's DPC queue and the worker thread that drains it: a System thread that runs each
 * queued DPC, in order, at DISPATCH_LEVEL. Models a processor's {@code KDPC_DATA} and the DPC
 * interrupt that retires it ({@code KiRetireDpcList}, ReactOS {@code ntoskrnl/ke/dpc.c}).
 *
 * <p>The worker starts with the first DPC queued here and ends at {@link #shutdown()}. It takes a
 * DPC off the queue under the queue's lock and runs it with no lock held, so the routine may queue
 * it (or any other) again. Thread-safe.
 */
final class DpcQueue {

  private final int number;
  private final Processors processors;
  private final Irqls irqls;
  private final BugChecks bugChecks;
  private final ThreadFactory threads;

  @GuardedBy("this")
  private final ArrayDeque<KDpc> entries = new ArrayDeque<>();

  @GuardedBy("this")
  private Thread worker;

  @GuardedBy("this")
  private boolean stopped;

  DpcQueue(int number, Processors processors, Irqls irqls, BugChecks bugChecks, ThreadFactory threads) {
    this.number = number;
    this.processors = processors;
    this.irqls = irqls;
    this.bugChecks = bugChecks;
    this.threads = threads;
  }

  int number() {
    return number;
  }

  /**
   * Queues {@code dpc} at the tail, as {@code KeInsertQueueDpc} does for a medium-importance DPC.
   *
   * @return false if it was already queued (here or on another processor): nothing changed
   */
  synchronized boolean insert(KDpc dpc, Object argument1, Object argument2) {
    if (!dpc.claim(this, argument1, argument2)) {
      return false;
    }
    entries.addLast(dpc);
    if (worker == null && !stopped) {
      worker = threads.newThread(this::serve);
      worker.start();
    }
    notifyAll();
    return true;
  }

  /**
   * Queues the kernel's own {@code marker} behind every DPC queued here, for a flush.
   *
   * @return false when there is nothing to wait for: the processor never ran a DPC, or it stopped
   */
  synchronized boolean insertMarker(KDpc marker) {
    if (worker == null || stopped) {
      return false;
    }
    return insert(marker, null, null);
  }

  /** Takes {@code dpc} off this queue if it is still on it. Models {@code KeRemoveQueueDpc}. */
  synchronized boolean remove(KDpc dpc) {
    if (!dpc.isOn(this)) {
      return false;
    }
    entries.remove(dpc);
    dpc.release();
    return true;
  }

  synchronized boolean isStopped() {
    return stopped;
  }

  /** How many DPCs wait here. */
  synchronized int depth() {
    return entries.size();
  }

  /** Stops the worker after the DPC it is running: what is still queued never runs. */
  synchronized void shutdown() {
    stopped = true;
    notifyAll();
  }

  /** The worker: takes DPCs off the queue one at a time and runs them. */
  private void serve() {
    processors.bind(this);
    irqls.set(Irql.DISPATCH_LEVEL);
    while (true) {
      KDpc next;
      Object[] arguments;
      synchronized (this) {
        while (entries.isEmpty() && !stopped) {
          try {
            wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        if (stopped) {
          return;
        }
        next = entries.pollFirst();
        arguments = next.release();
      }
      retire(next, arguments);
    }
  }

  /**
   * Runs one DPC at DISPATCH_LEVEL with the thread marked as in a DPC, then checks it returned at
   * that level.
   *
   * <p>ReactOS's {@code KiRetireDpcList} ({@code ntoskrnl/ke/dpc.c}) asserts after each routine
   * that the IRQL is still DISPATCH_LEVEL: a DPC that lowered (or raised and did not lower) would
   * leave the processor's next DPC, or the thread it interrupted, at the wrong level. ntio turns
   * that assertion into bug check 0x9 {@code IRQL_NOT_GREATER_OR_EQUAL} naming the routine
   * ([MODEL] parameters: P1 the DPC, P2 the IRQL it returned at, P3 DISPATCH_LEVEL) and puts the
   * processor back at DISPATCH_LEVEL.
   *
   * <p>An exception escaping the routine is bug check 0x1E ({@code KMODE_EXCEPTION_NOT_HANDLED}),
   * raised by the door the routine was called through (the I/O manager's {@code callDriver}), as
   * for every driver callback. Once the kernel has halted, drivers' DPCs no longer run (the machine
   * has stopped); the kernel's own flush markers still do, so that no flush waits for ever.
   */
  private void retire(KDpc dpc, Object[] arguments) {
    IrqlState state = irqls.state();
    irqls.set(Irql.DISPATCH_LEVEL);
    state.setInDpc(true);
    try {
      if (dpc.driver() != null && bugChecks.isHalted()) {
        return;
      }
      dpc.routine().run(arguments[0], arguments[1]);
      Irql after = state.irql();
      if (after != Irql.DISPATCH_LEVEL) {
        throw irqls.violation(Irqls.IRQL_NOT_GREATER_OR_EQUAL, dpc.address(), after.level(),
            Irql.DISPATCH_LEVEL.level(), 0, dpc.driver(), dpc.description() + " returned at " + after
                + ": a DPC routine must return at DISPATCH_LEVEL, the IRQL it was called at");
      }
    } catch (BugCheckException halted) {
      // Recorded by the crash handler; the processor carries on draining its queue.
    } catch (RuntimeException e) {
      // The kernel's side of a DPC threw: a bug check naming it, never a dead processor.
      bugChecks.raise(BugCheck.KMODE_EXCEPTION_NOT_HANDLED, BugCheck.exceptionCodeOf(e), 0, 0, 0,
          dpc.driver(), dpc.description() + " let " + e + " escape", e);
    } finally {
      state.setInDpc(false);
      irqls.set(Irql.DISPATCH_LEVEL);
    }
  }
}
