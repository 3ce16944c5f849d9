package ntio.kernel.ke;

import ntio.ddk.Irql;
import ntio.ddk.KernelSpinLock;

/**
 * A spin lock as a driver holds it: the lock word and the import table its routines are called
 * through. Models a {@code KSPIN_LOCK} a driver initialized with {@code KeInitializeSpinLock}.
 *
 * <p>[MODEL] On NT the verifier checks the image that calls each routine; a Java driver calls the
 * lock's methods, not its import table, so the checks are those of the image that initialized the
 * lock. A lock shared between images is rare, and then the initializing image is the one whose
 * verifier settings apply.
 */
final class DriverSpinLock implements KernelSpinLock {

  private final SpinLocks routines;
  private final KSpinLock lock;
  private final KeCaller caller;

  DriverSpinLock(SpinLocks routines, KSpinLock lock, KeCaller caller) {
    this.routines = routines;
    this.lock = lock;
    this.caller = caller;
  }

  @Override
  public Irql acquire() {
    return routines.acquire(lock, caller, "KeAcquireSpinLock");
  }

  @Override
  public void release(Irql oldIrql) {
    routines.release(lock, oldIrql, caller);
  }

  @Override
  public void acquireAtDpcLevel() {
    routines.acquireAtDpcLevel(lock, caller, false);
  }

  @Override
  public void releaseFromDpcLevel() {
    routines.releaseFromDpcLevel(lock, caller, false);
  }

  @Override
  public LockQueueHandle acquireInStackQueued() {
    return new QueueHandle(routines.acquireQueued(lock, caller));
  }

  @Override
  public LockQueueHandle acquireInStackQueuedAtDpcLevel() {
    routines.acquireAtDpcLevel(lock, caller, true);
    return new QueueHandle(Irql.DISPATCH_LEVEL);
  }

  @Override
  public boolean tryAcquireAtDpcLevel() {
    return routines.tryAcquireAtDpcLevel(lock, caller);
  }

  @Override
  public boolean isHeld() {
    return lock.isHeld();
  }

  @Override
  public String toString() {
    return "KSPIN_LOCK@" + Integer.toHexString(System.identityHashCode(lock))
        + (lock.isHeld() ? " (held)" : " (free)");
  }

  /** One queued hold: {@code KLOCK_QUEUE_HANDLE}. */
  private final class QueueHandle implements LockQueueHandle {

    private final Irql oldIrql;

    QueueHandle(Irql oldIrql) {
      this.oldIrql = oldIrql;
    }

    @Override
    public Irql oldIrql() {
      return oldIrql;
    }

    @Override
    public void release() {
      routines.releaseQueued(lock, oldIrql, caller);
    }

    @Override
    public void releaseFromDpcLevel() {
      routines.releaseFromDpcLevel(lock, caller, true);
    }
  }
}
