package ntio.framework;

import java.util.concurrent.locks.ReentrantLock;
import ntio.ddk.Irql;
import ntio.ddk.KernelSpinLock;

/**
 * A callback lock: what the framework holds around the callbacks it serializes (a queue's, a
 * device's, a timer's or work item's with automatic serialization) and what {@code
 * WdfObjectAcquireLock} takes. Models KMDF's {@code FxCallbackLock} with its two kinds ({@code
 * fxcallbackspinlock.hpp}, {@code fxcallbackmutexlock.hpp}): a {@link Spin} lock for objects of
 * execution level Dispatch, whose holder runs at DISPATCH_LEVEL, and a {@link Passive} lock for
 * level Passive, whose holder stays at PASSIVE_LEVEL and may wait.
 *
 * <p>Taking a lock the thread already holds is {@code WDF_VIOLATION} (0x10D) P1 = 0x2 {@code
 * WDF_RECURSIVE_LOCK}, as KMDF's callback locks check their owner; releasing one the thread does
 * not hold is an ntio bug and throws.
 */
abstract sealed class FxCallbackLock permits FxCallbackLock.Spin, FxCallbackLock.Passive {

  /** 0x10D P1: a callback lock taken again by its owner. */
  static final int WDF_RECURSIVE_LOCK = 0x2;

  final FxGlobals globals;
  /** The object whose lock this is, named in findings. */
  final WdfObject owner;

  private FxCallbackLock(FxGlobals globals, WdfObject owner) {
    this.globals = globals;
    this.owner = owner;
  }

  /** A lock for an object of {@code constraints}: spin for Dispatch, passive for Passive. */
  static FxCallbackLock forLevel(FxGlobals globals, WdfObject owner, FxConstraints constraints) {
    return constraints.passive() ? new Passive(globals, owner) : new Spin(globals, owner);
  }

  /** Whether its holder stays at PASSIVE_LEVEL. */
  abstract boolean passive();

  /** Whether the calling thread holds it. */
  abstract boolean heldByCurrentThread();

  /**
   * Takes the lock. For a spin lock, raises to DISPATCH_LEVEL.
   *
   * @return the IRQL to give back to {@link #release}
   */
  abstract Irql acquire();

  /** Releases the lock and, for a spin lock, lowers to {@code oldIrql}. */
  abstract void release(Irql oldIrql);

  /**
   * Calls driver callback {@code name} under {@code lock} (none when null), checking its IRQL on
   * return (V-KMDF-12, {@link FxIrql#callback}): what KMDF's {@code FxCallback} delegates do with
   * their {@code m_CallbackLock}. The callback runs at DISPATCH_LEVEL under a spin lock.
   */
  static void call(FxGlobals globals, FxCallbackLock lock, String name, Runnable body) {
    if (lock == null) {
      FxIrql.callback(globals, name, body);
      return;
    }
    Irql old = lock.acquire();
    try {
      FxIrql.callback(globals, name, body);
    } finally {
      lock.release(old);
    }
  }

  /** The IRQL before {@code WdfObjectAcquireLock}, for its release; used only by the holder. */
  private volatile Irql ddiOldIrql;

  /** {@code WdfObjectAcquireLock}: takes the lock, keeping the IRQL to restore. */
  final void acquireForDriver() {
    Irql old = acquire();
    ddiOldIrql = old;
  }

  /** {@code WdfObjectReleaseLock}. */
  final void releaseForDriver() {
    release(ddiOldIrql);
  }

  final RuntimeException recursive() {
    return globals.bugCheck(WDF_RECURSIVE_LOCK, owner.handle(), 0,
        "the callback lock of " + owner + " was acquired again by the thread that holds it");
  }

  /**
   * A spin lock: the kernel's {@code KSPIN_LOCK} ({@code KeInitializeSpinLock}), made on first use
   * so that an object whose callbacks are never serialized costs no kernel lock. Models {@code
   * FxCallbackSpinLock}.
   */
  static final class Spin extends FxCallbackLock {
    private KernelSpinLock lock;
    private volatile Thread holder;

    Spin(FxGlobals globals, WdfObject owner) {
      super(globals, owner);
    }

    private synchronized KernelSpinLock lock() {
      if (lock == null) {
        lock = globals.services.initializeSpinLock();
      }
      return lock;
    }

    @Override
    boolean passive() {
      return false;
    }

    @Override
    boolean heldByCurrentThread() {
      return holder == Thread.currentThread();
    }

    @Override
    Irql acquire() {
      if (heldByCurrentThread()) {
        throw recursive();
      }
      Irql old = lock().acquire();
      holder = Thread.currentThread();
      return old;
    }

    @Override
    void release(Irql oldIrql) {
      if (!heldByCurrentThread()) {
        throw new IllegalStateException("callback lock of " + owner + " released by a thread that does not hold it");
      }
      holder = null;
      lock().release(oldIrql);
    }
  }

  /**
   * A lock held at PASSIVE_LEVEL, which a waiter blocks on. Models {@code FxCallbackMutexLock}
   * (a wait lock in a critical region).
   */
  static final class Passive extends FxCallbackLock {
    private final ReentrantLock lock = new ReentrantLock();

    Passive(FxGlobals globals, WdfObject owner) {
      super(globals, owner);
    }

    @Override
    boolean passive() {
      return true;
    }

    @Override
    boolean heldByCurrentThread() {
      return lock.isHeldByCurrentThread();
    }

    @Override
    Irql acquire() {
      if (lock.isHeldByCurrentThread()) {
        throw recursive();
      }
      lock.lock();
      return Irql.PASSIVE_LEVEL;
    }

    @Override
    void release(Irql oldIrql) {
      lock.unlock();
    }
  }
}
