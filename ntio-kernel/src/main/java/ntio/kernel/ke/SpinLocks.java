package ntio.kernel.ke;

import java.util.Objects;
import ntio.ddk.Irql;
import ntio.kernel.executive.BugCheck;

/**
 * The kernel's spin lock routines and its one cancel spin lock: each acquire raises (or checks)
 * the IRQL and records the hold in the thread's {@link IrqlState}, each release drops the hold and
 * lowers. Models ReactOS's {@code ntoskrnl/ke/spinlock.c} and {@code hal/halx86/generic/spinlock.c}
 * ({@code KfAcquireSpinLock}, {@code KfReleaseSpinLock}, {@code KeAcquireSpinLockAtDpcLevel},
 * {@code KeTryToAcquireSpinLockAtDpcLevel}, {@code KeAcquireInStackQueuedSpinLock}) and {@code
 * ntoskrnl/io/iomgr/irp.c}'s {@code IoAcquireCancelSpinLock}/{@code IoReleaseCancelSpinLock}.
 *
 * <p>Misuse, as NT reports it:
 *
 * <ul>
 *   <li>acquiring a lock the thread already holds: {@code SPIN_LOCK_ALREADY_OWNED} (0x0F, P1 the
 *       lock), where NT's free build would spin for ever; ReactOS's checked build raises it in
 *       {@code KxAcquireSpinLock} ({@code ntoskrnl/include/internal/spinlock.h});
 *   <li>releasing a lock the thread does not hold: {@code SPIN_LOCK_NOT_OWNED} (0x10, P1 the
 *       lock), as {@code KxReleaseSpinLock}'s checked build does;
 *   <li>{@code KeAcquireSpinLock} above DISPATCH_LEVEL: the HAL's raise bug-checks 0x9 {@code
 *       IRQL_NOT_GREATER_OR_EQUAL}; a release's lower to an old IRQL above the current one 0xA.
 * </ul>
 *
 * <p>With Driver Verifier's IRQL checking (0x2) on for the calling image ({@link
 * KeCaller#verifierChecksIrql}) the verifier's thunks check first, with its 0xC4 subcodes
 * (MicrosoftDocs, bug check 0xC4; P2 the current IRQL, P3 the lock, P4 the old IRQL where there is
 * one): 0x42 {@code KeAcquireSpinLock} (and its queued form) above DISPATCH_LEVEL, 0x32 {@code
 * KeReleaseSpinLock} not at DISPATCH_LEVEL, 0x36 a queued spin lock released not at DISPATCH_LEVEL,
 * 0x35 the kernel's cancel spin lock released not at DISPATCH_LEVEL, 0x40 {@code
 * KeAcquireSpinLockAtDpcLevel} (and {@code KeTryToAcquireSpinLockAtDpcLevel}) below DISPATCH_LEVEL,
 * 0x41 {@code KeReleaseSpinLockFromDpcLevel} below DISPATCH_LEVEL. Without the verifier NT does
 * not check those: the routines go ahead, as ntio's do.
 *
 * <p>A lock's "address" in a bug check's parameters is its identity hash code.
 */
public final class SpinLocks {

  /** 0xC4/0x32: {@code KeReleaseSpinLock} at an IRQL other than DISPATCH_LEVEL. */
  public static final int VERIFIER_RELEASE_NOT_AT_DISPATCH = 0x32;
  /** 0xC4/0x35: the kernel released a spin lock (the cancel spin lock) at an IRQL other than DISPATCH_LEVEL. */
  public static final int VERIFIER_KERNEL_RELEASE_NOT_AT_DISPATCH = 0x35;
  /** 0xC4/0x36: a queued spin lock released at an IRQL other than DISPATCH_LEVEL. */
  public static final int VERIFIER_QUEUED_RELEASE_NOT_AT_DISPATCH = 0x36;
  /** 0xC4/0x40: {@code KeAcquireSpinLockAtDpcLevel} below DISPATCH_LEVEL. */
  public static final int VERIFIER_ACQUIRE_AT_DPC_BELOW_DISPATCH = 0x40;
  /** 0xC4/0x41: {@code KeReleaseSpinLockFromDpcLevel} below DISPATCH_LEVEL. */
  public static final int VERIFIER_RELEASE_FROM_DPC_BELOW_DISPATCH = 0x41;
  /** 0xC4/0x42: {@code KeAcquireSpinLock} above DISPATCH_LEVEL. */
  public static final int VERIFIER_ACQUIRE_ABOVE_DISPATCH = 0x42;

  private final Irqls irqls;
  private final KSpinLock cancelLock = new KSpinLock();

  public SpinLocks(Irqls irqls) {
    this.irqls = Objects.requireNonNull(irqls, "irqls");
  }

  /** The system's cancel spin lock ({@code IopCancelSpinLock}): one per kernel. */
  public KSpinLock cancelLock() {
    return cancelLock;
  }

  /** A new spin lock for {@code caller}, free. Models {@code KeInitializeSpinLock}. */
  public ntio.ddk.KernelSpinLock newLock(KeCaller caller) {
    return new DriverSpinLock(this, new KSpinLock(), caller);
  }

  // Raising acquires -------------------------------------------------------------------------------

  /**
   * {@code KeAcquireSpinLock}: raises to DISPATCH_LEVEL and takes {@code lock}.
   *
   * @return the IRQL before
   */
  public Irql acquire(KSpinLock lock, KeCaller caller, String routine) {
    IrqlState state = raiseToDispatch(lock, caller, routine);
    Irql old = state.irql();
    notOwned(lock, caller, routine);
    state.setIrql(Irql.DISPATCH_LEVEL);
    lock.lock();
    state.spinLockAcquired();
    return old;
  }

  /** {@code KeAcquireInStackQueuedSpinLock}: as {@link #acquire}, served in arrival order. */
  public Irql acquireQueued(KSpinLock lock, KeCaller caller) {
    IrqlState state = raiseToDispatch(lock, caller, "KeAcquireInStackQueuedSpinLock");
    Irql old = state.irql();
    notOwned(lock, caller, "KeAcquireInStackQueuedSpinLock");
    state.setIrql(Irql.DISPATCH_LEVEL);
    lock.lockQueued();
    state.spinLockAcquired();
    return old;
  }

  /** {@code IoAcquireCancelSpinLock}: {@link #acquire} of the cancel spin lock. */
  public Irql acquireCancel(KeCaller caller) {
    return acquire(cancelLock, caller, "IoAcquireCancelSpinLock");
  }

  private IrqlState raiseToDispatch(KSpinLock lock, KeCaller caller, String routine) {
    IrqlState state = irqls.state();
    Irql current = state.irql();
    if (current.isAbove(Irql.DISPATCH_LEVEL)) {
      if (caller.verifierChecksIrql()) {
        throw irqls.violation(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, VERIFIER_ACQUIRE_ABOVE_DISPATCH,
            current.level(), address(lock), 0, caller.driver(), routine + " at " + current
                + ": a spin lock is acquired at DISPATCH_LEVEL or below (Driver Verifier, IRQL checking)");
      }
      throw irqls.violation(Irqls.IRQL_NOT_GREATER_OR_EQUAL, current.level(), Irql.DISPATCH_LEVEL.level(),
          0, 0, caller.driver(), routine + " at " + current + ": its raise to DISPATCH_LEVEL would lower the IRQL");
    }
    return state;
  }

  // Acquires at DISPATCH_LEVEL ----------------------------------------------------------------------

  /** {@code KeAcquireSpinLockAtDpcLevel}: takes {@code lock}, leaving the IRQL alone. */
  public void acquireAtDpcLevel(KSpinLock lock, KeCaller caller, boolean queued) {
    String routine = queued ? "KeAcquireInStackQueuedSpinLockAtDpcLevel" : "KeAcquireSpinLockAtDpcLevel";
    IrqlState state = atDispatch(lock, caller, routine, VERIFIER_ACQUIRE_AT_DPC_BELOW_DISPATCH);
    notOwned(lock, caller, routine);
    if (queued) {
      lock.lockQueued();
    } else {
      lock.lock();
    }
    state.spinLockAcquired();
  }

  /** {@code KeTryToAcquireSpinLockAtDpcLevel}: takes {@code lock} only if it is free. */
  public boolean tryAcquireAtDpcLevel(KSpinLock lock, KeCaller caller) {
    String routine = "KeTryToAcquireSpinLockAtDpcLevel";
    IrqlState state = atDispatch(lock, caller, routine, VERIFIER_ACQUIRE_AT_DPC_BELOW_DISPATCH);
    notOwned(lock, caller, routine);
    if (!lock.tryLock()) {
      return false;
    }
    state.spinLockAcquired();
    return true;
  }

  /** {@code KeReleaseSpinLockFromDpcLevel} (or its queued form): releases, leaving the IRQL alone. */
  public void releaseFromDpcLevel(KSpinLock lock, KeCaller caller, boolean queued) {
    String routine = queued ? "KeReleaseInStackQueuedSpinLockFromDpcLevel" : "KeReleaseSpinLockFromDpcLevel";
    IrqlState state = atDispatch(lock, caller, routine, VERIFIER_RELEASE_FROM_DPC_BELOW_DISPATCH);
    owned(lock, caller, routine);
    if (queued) {
      lock.unlockQueued();
    } else {
      lock.unlock();
    }
    state.spinLockReleased();
  }

  private IrqlState atDispatch(KSpinLock lock, KeCaller caller, String routine, int subcode) {
    IrqlState state = irqls.state();
    Irql current = state.irql();
    if (caller.verifierChecksIrql() && current.isBelow(Irql.DISPATCH_LEVEL)) {
      throw irqls.violation(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, subcode, current.level(),
          address(lock), 0, caller.driver(), routine + " at " + current
              + ": the caller must be at DISPATCH_LEVEL (Driver Verifier, IRQL checking)");
    }
    return state;
  }

  // Lowering releases -------------------------------------------------------------------------------

  /** {@code KeReleaseSpinLock}: releases {@code lock} and lowers to {@code oldIrql}. */
  public void release(KSpinLock lock, Irql oldIrql, KeCaller caller) {
    release(lock, oldIrql, caller, "KeReleaseSpinLock", VERIFIER_RELEASE_NOT_AT_DISPATCH, false);
  }

  /** {@code KeReleaseInStackQueuedSpinLock}: releases a queued hold and lowers to {@code oldIrql}. */
  public void releaseQueued(KSpinLock lock, Irql oldIrql, KeCaller caller) {
    release(lock, oldIrql, caller, "KeReleaseInStackQueuedSpinLock", VERIFIER_QUEUED_RELEASE_NOT_AT_DISPATCH, true);
  }

  /** {@code IoReleaseCancelSpinLock}: releases the cancel spin lock and lowers to {@code oldIrql}. */
  public void releaseCancel(Irql oldIrql, KeCaller caller) {
    release(cancelLock, oldIrql, caller, "IoReleaseCancelSpinLock", VERIFIER_KERNEL_RELEASE_NOT_AT_DISPATCH, false);
  }

  private void release(KSpinLock lock, Irql oldIrql, KeCaller caller, String routine, int subcode,
      boolean queued) {
    Objects.requireNonNull(oldIrql, "oldIrql");
    IrqlState state = irqls.state();
    Irql current = state.irql();
    if (caller.verifierChecksIrql() && current != Irql.DISPATCH_LEVEL) {
      throw irqls.violation(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, subcode, current.level(),
          address(lock), oldIrql.level(), caller.driver(), routine + " at " + current
              + ": a spin lock is released at DISPATCH_LEVEL (Driver Verifier, IRQL checking)");
    }
    owned(lock, caller, routine);
    if (queued) {
      lock.unlockQueued();
    } else {
      lock.unlock();
    }
    state.spinLockReleased();
    irqls.lower(oldIrql, caller);
  }

  // Ownership ---------------------------------------------------------------------------------------

  private void notOwned(KSpinLock lock, KeCaller caller, String routine) {
    if (lock.isOwnedByCurrentThread()) {
      throw irqls.violation(BugCheck.SPIN_LOCK_ALREADY_OWNED, address(lock), 0, 0, 0, caller.driver(),
          routine + " of a spin lock the thread already holds: it would spin for ever");
    }
  }

  private void owned(KSpinLock lock, KeCaller caller, String routine) {
    if (!lock.isOwnedByCurrentThread()) {
      throw irqls.violation(BugCheck.SPIN_LOCK_NOT_OWNED, address(lock), 0, 0, 0, caller.driver(),
          routine + " of a spin lock the thread does not hold");
    }
  }

  private static long address(KSpinLock lock) {
    return System.identityHashCode(lock);
  }
}
