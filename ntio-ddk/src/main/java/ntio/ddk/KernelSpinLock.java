package ntio.ddk;

/**
 * A spin lock: mutual exclusion that can be taken at DISPATCH_LEVEL, where a thread may not wait.
 * Models {@code KSPIN_LOCK}, initialized by {@code KeInitializeSpinLock} (full for the routines
 * below).
 *
 * <p>Acquiring raises the thread's IRQL to DISPATCH_LEVEL (from at most DISPATCH_LEVEL) and spins
 * until the lock is free; releasing lowers it back to the level the acquire returned. Code that
 * holds a spin lock must be short: it must not wait, touch paged memory or call anything that
 * does. Acquiring a lock the thread already holds would spin forever on NT; ntio stops it with
 * {@code SPIN_LOCK_ALREADY_OWNED} (0x0F), and releasing one it does not hold with {@code
 * SPIN_LOCK_NOT_OWNED} (0x10). With Driver Verifier's IRQL checking on, the misuses NT's verifier
 * names are bug check 0xC4 with its subcodes (0x32, 0x40, 0x41, 0x42).
 */
public interface KernelSpinLock {

  /**
   * Raises to DISPATCH_LEVEL and acquires the lock. Models {@code KeAcquireSpinLock} (full).
   *
   * @return the IRQL before the raise, to pass to {@link #release}
   */
  Irql acquire();

  /**
   * Releases the lock and lowers the IRQL to {@code oldIrql}. Models {@code KeReleaseSpinLock}
   * (full).
   */
  void release(Irql oldIrql);

  /**
   * Acquires the lock by a caller already at DISPATCH_LEVEL (a DPC, a cancel routine); the IRQL is
   * left alone. Models {@code KeAcquireSpinLockAtDpcLevel} (full).
   */
  void acquireAtDpcLevel();

  /** Releases a lock taken with {@link #acquireAtDpcLevel}. Models {@code KeReleaseSpinLockFromDpcLevel} (full). */
  void releaseFromDpcLevel();

  /**
   * Acquires the lock as a queued spin lock: waiters are served in arrival order. Models {@code
   * KeAcquireInStackQueuedSpinLock} (full).
   *
   * @return the handle ({@code KLOCK_QUEUE_HANDLE}) that releases it and holds the old IRQL
   */
  LockQueueHandle acquireInStackQueued();

  /**
   * As {@link #acquireInStackQueued}, by a caller already at DISPATCH_LEVEL. Models {@code
   * KeAcquireInStackQueuedSpinLockAtDpcLevel} (full).
   */
  LockQueueHandle acquireInStackQueuedAtDpcLevel();

  /**
   * Takes the lock only if it is free, by a caller at DISPATCH_LEVEL. Models {@code
   * KeTryToAcquireSpinLockAtDpcLevel} (full).
   *
   * @return whether the lock was taken
   */
  boolean tryAcquireAtDpcLevel();

  /** Whether some thread holds the lock. Models {@code KeTestSpinLock} (partial: exact). */
  boolean isHeld();

  /**
   * The handle of one in-stack queued acquisition. Models {@code KLOCK_QUEUE_HANDLE} (partial:
   * an object instead of a caller's stack variable).
   */
  interface LockQueueHandle {

    /** The IRQL before the acquire. */
    Irql oldIrql();

    /** Releases the lock and lowers to {@link #oldIrql}. Models {@code KeReleaseInStackQueuedSpinLock}. */
    void release();

    /** Releases the lock, leaving the IRQL at DISPATCH_LEVEL. Models {@code KeReleaseInStackQueuedSpinLockFromDpcLevel}. */
    void releaseFromDpcLevel();
  }
}
