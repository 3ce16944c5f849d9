package ntio.ddk.testkit;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import ntio.ddk.CancelRoutine;
import ntio.ddk.DeviceObject;
import ntio.ddk.Irql;

/**
 * A {@link TestKernel}'s IRQL per thread and its cancel spin lock: just enough for a driver's
 * cancel routine to run as the kernel runs it, at DISPATCH_LEVEL holding the cancel spin lock,
 * and to release it with {@code IoReleaseCancelSpinLock(Irp->CancelIrql)}. The rules are the
 * kernel's: a raise below the current level is bug check 0x9, a lower above it 0xA; acquiring the
 * cancel spin lock the thread holds 0x0F, releasing it when it does not 0x10. Other spin locks,
 * DPCs and the verifier's IRQL checks need the real kernel.
 *
 * <p>Per kit kernel, never static: each thread's level is this instance's.
 */
final class TestDispatcher {

  private final TestKernel kernel;
  private final ThreadLocal<Irql> irqls = ThreadLocal.withInitial(() -> Irql.PASSIVE_LEVEL);
  private final AtomicReference<Thread> cancelOwner = new AtomicReference<>();

  TestDispatcher(TestKernel kernel) {
    this.kernel = kernel;
  }

  Irql current() {
    return irqls.get();
  }

  Irql raise(Irql newIrql, String driver) {
    Irql old = irqls.get();
    if (Objects.requireNonNull(newIrql, "newIrql").isBelow(old)) {
      throw kernel.bugCheck(0x09, old.level(), newIrql.level(), 0, 0, driver,
          "KeRaiseIrql to " + newIrql + " from " + old + " (IRQL_NOT_GREATER_OR_EQUAL)");
    }
    irqls.set(newIrql);
    return old;
  }

  void lower(Irql newIrql, String driver) {
    Irql old = irqls.get();
    if (Objects.requireNonNull(newIrql, "newIrql").isAbove(old)) {
      throw kernel.bugCheck(0x0A, newIrql.level(), old.level(), 0, 0, driver,
          "KeLowerIrql to " + newIrql + " from " + old + " (IRQL_NOT_LESS_OR_EQUAL)");
    }
    irqls.set(newIrql);
  }

  /** {@code IoAcquireCancelSpinLock}: raises to DISPATCH_LEVEL and spins until the lock is free. */
  Irql acquireCancelSpinLock(String driver) {
    Irql old = raise(Irql.DISPATCH_LEVEL, driver);
    Thread me = Thread.currentThread();
    if (cancelOwner.get() == me) {
      irqls.set(old);
      throw kernel.bugCheck(0x0F, 0, 0, 0, 0, driver,
          "IoAcquireCancelSpinLock by a thread that holds it (SPIN_LOCK_ALREADY_OWNED)");
    }
    while (!cancelOwner.compareAndSet(null, me)) {
      Thread.yield();
    }
    return old;
  }

  /** {@code IoReleaseCancelSpinLock}: releases the lock and lowers to {@code oldIrql}. */
  void releaseCancelSpinLock(Irql oldIrql, String driver) {
    if (!cancelOwner.compareAndSet(Thread.currentThread(), null)) {
      throw kernel.bugCheck(0x10, 0, 0, 0, 0, driver,
          "IoReleaseCancelSpinLock by a thread that does not hold it (SPIN_LOCK_NOT_OWNED)");
    }
    lower(oldIrql, driver);
  }

  /** Whether the calling thread holds the cancel spin lock. */
  boolean holdsCancelSpinLock() {
    return cancelOwner.get() == Thread.currentThread();
  }

  /**
   * {@code IoCancelIrp} as the kernel does it: under the cancel spin lock, marks the request
   * cancelled and takes its routine; calls it at DISPATCH_LEVEL still holding the lock, with the
   * canceller's IRQL in {@code CancelIrql}; with no routine releases the lock itself.
   *
   * @param taken run once the routine was taken (or found missing), before it is called
   */
  boolean cancel(TestIrp irp, DeviceObject device, Runnable taken) {
    Irql old = acquireCancelSpinLock(null);
    CancelRoutine routine;
    try {
      routine = irp.markCancelledAndTakeRoutine();
    } finally {
      taken.run();
    }
    if (routine == null) {
      releaseCancelSpinLock(old, null);
      return false;
    }
    irp.setCancelIrqlForKit(old);
    routine.cancel(device, irp);
    return true;
  }
}
