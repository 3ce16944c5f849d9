package ntio.conformance.reactos;

import ntio.ddk.Irql;
import ntio.ddk.KernelServices;
import ntio.ddk.KernelSpinLock;
import ntio.ddk.KernelSpinLock.LockQueueHandle;

/**
 * The kernel half of reactos/reactos {@code modules/rostests/kmtests/ntos_ke/KeSpinLock.c}, {@code
 * START_TEST(KeSpinLock)} and {@code TestSpinLock}: KeInitializeSpinLock, KeTestSpinLock, the
 * ordinary and the in-stack queued spin lock with their DPC-level variants, and
 * KeTryToAcquireSpinLockAtDpcLevel, each from PASSIVE_LEVEL, APC_LEVEL and DISPATCH_LEVEL.
 *
 * <p>ntio is a multiprocessor system (each thread is its own processor), so upstream's
 * {@code KmtIsMultiProcessorBuild} branches apply: KeTestSpinLock answers whether the lock is held.
 * Where upstream runs a misuse only on a free build (a DPC-level acquire below DISPATCH_LEVEL, any
 * acquire from HIGH_LEVEL, a second try-acquire of a lock the thread holds), ntio takes the
 * checked build's path and skips it: those are the verifier's 0xC4/0x40 and 0xC4/0x42, and ntio's
 * 0x0F {@code SPIN_LOCK_ALREADY_OWNED}.
 *
 * <p>{@code CheckSpinLock} ports as: KeTestSpinLock's answer, the old IRQL the acquire saved (in the
 * {@code KIRQL} or in {@code KLOCK_QUEUE_HANDLE.OldIrql}) and the current IRQL. Not ported: the
 * lock word's value and the queue handle's pointers (no memory layout), {@code KeAreApcsDisabled}
 * and the interrupt flag (not in the DDK), the rows of {@code KeAcquireSpinLockRaiseToSynch},
 * {@code KeAcquireInStackQueuedSpinLockRaiseToSynch}, {@code KeAcquireQueuedSpinLock} (the system's
 * numbered locks), {@code KeAcquireInStackQueuedSpinLockForDpc} and {@code KiAcquireSpinLock} (not
 * in the DDK), and the x86 stdcall exports (one routine in ntio).
 */
public final class KeSpinLockDriver extends KmtKeDriver {

  /** The suite the checks are recorded under. */
  static final String SUITE = "KeSpinLock";

  /** Needed by the image loader. */
  public KeSpinLockDriver() {
    super(SUITE);
  }

  /** One row of upstream's {@code TestData}: how to acquire and release, raising or not. */
  private interface Row {
    String name();

    void acquire();

    void release();

    void acquireNoRaise();

    void releaseNoLower();

    /** Whether the row has a {@code TryAcquireNoRaise}. */
    boolean hasTry();

    /** Upstream's {@code TryAcquireNoRaise}. */
    boolean tryAcquireNoRaise();

    /** The old IRQL the last raising acquire saved. */
    Irql savedIrql();

    void resetSavedIrql(Irql irql);
  }

  /** {@code AcquireNormal}/{@code ReleaseNormal}, {@code AcquireNoRaise}/{@code ReleaseNoLower}, {@code TryNoRaise}. */
  private static final class Normal implements Row {
    private final KernelSpinLock lock;
    private Irql saved;

    Normal(KernelSpinLock lock) {
      this.lock = lock;
    }

    @Override public String name() { return "KeAcquireSpinLock"; }
    @Override public void acquire() { saved = lock.acquire(); }
    @Override public void release() { lock.release(saved); }
    @Override public void acquireNoRaise() { lock.acquireAtDpcLevel(); }
    @Override public void releaseNoLower() { lock.releaseFromDpcLevel(); }
    @Override public boolean hasTry() { return true; }
    @Override public boolean tryAcquireNoRaise() { return lock.tryAcquireAtDpcLevel(); }
    @Override public Irql savedIrql() { return saved; }
    @Override public void resetSavedIrql(Irql irql) { saved = irql; }
  }

  /** {@code AcquireInStackQueued}/{@code ReleaseInStackQueued}, {@code AcquireInStackNoRaise}/{@code ReleaseInStackNoRaise}. */
  private static final class InStackQueued implements Row {
    private final KernelSpinLock lock;
    /** Upstream's one {@code KLOCK_QUEUE_HANDLE}: the last acquire's. */
    private LockQueueHandle handle;
    private Irql initial;

    InStackQueued(KernelSpinLock lock) {
      this.lock = lock;
    }

    @Override public String name() { return "KeAcquireInStackQueuedSpinLock"; }

    @Override public void acquire() { handle = lock.acquireInStackQueued(); }

    @Override public void release() { handle.release(); }

    @Override public void acquireNoRaise() { handle = lock.acquireInStackQueuedAtDpcLevel(); }

    @Override public void releaseNoLower() { handle.releaseFromDpcLevel(); }
    @Override public boolean hasTry() { return false; }
    @Override public boolean tryAcquireNoRaise() { throw new IllegalStateException("no try-acquire"); }
    /** {@code QueueHandle.OldIrql}: the last acquire's handle's. */
    @Override public Irql savedIrql() { return handle == null ? initial : handle.oldIrql(); }
    @Override public void resetSavedIrql(Irql irql) { handle = null; initial = irql; }
  }

  @Override
  void test(KernelServices services, KmtChecks ok) {
    // KeInitializeSpinLock: the lock is free.
    KernelSpinLock fresh = services.initializeSpinLock();
    ok.ok("KeSpinLock/KeInitializeSpinLock: free", !fresh.isHeld(), "held");
    // KeTestSpinLock of a free lock.
    ok.ok("KeSpinLock/KeTestSpinLock: TRUE for a free lock", !fresh.isHeld(), "FALSE");

    for (int row = 0; row < 2; row++) {
      for (Irql original : UP_TO_DISPATCH) {
        KernelSpinLock lock = services.initializeSpinLock();
        Row data = row == 0 ? new Normal(lock) : new InStackQueued(lock);
        Irql old = services.raiseIrql(original);
        testSpinLock(services, ok, lock, data, original);
        services.lowerIrql(old);
      }
    }
    setIrql(services, Irql.PASSIVE_LEVEL);
  }

  /** Upstream's {@code TestSpinLock} for one row from one original IRQL. */
  private static void testSpinLock(KernelServices services, KmtChecks ok, KernelSpinLock lock, Row data,
      Irql original) {
    String at = "KeSpinLock/TestSpinLock(" + data.name() + ", " + original + ")";
    data.resetSavedIrql(original);
    boolean acquired = false;
    okIrql(services, ok, at + " start", original);

    data.acquire();
    acquired = true;
    check(services, ok, at + " acquired", lock, data, original, acquired, true);
    data.release();
    acquired = false;
    check(services, ok, at + " released", lock, data, original, acquired, false);

    // No TryAcquire (raising) in the ported rows: upstream has it only for the numbered queued locks.

    if (!original.isBelow(Irql.DISPATCH_LEVEL)) {
      // "acquire/release without irql change"
      data.acquireNoRaise();
      check(services, ok, at + " no-raise acquired", lock, data, original, acquired, true);
      data.releaseNoLower();
      check(services, ok, at + " no-lower released", lock, data, original, acquired, false);

      // "acquire without raise, but normal release"
      data.acquireNoRaise();
      check(services, ok, at + " no-raise acquired, normal release", lock, data, original, acquired, true);
      data.release();
      check(services, ok, at + " normal release after no-raise", lock, data, original, acquired, false);

      // "acquire normally but release without lower"
      data.acquire();
      acquired = true;
      check(services, ok, at + " acquired, no-lower release", lock, data, original, acquired, true);
      data.releaseNoLower();
      check(services, ok, at + " no-lower release after acquire", lock, data, original, acquired, false);
      acquired = false;
      setIrql(services, original);

      if (data.hasTry()) {
        check(services, ok, at + " before try", lock, data, original, acquired, false);
        ok.ok(at + " first try: TRUE", data.tryAcquireNoRaise(), "FALSE");
        check(services, ok, at + " try acquired", lock, data, original, acquired, true);
        // A second try of the held lock: SPINLOCK_ALREADY_OWNED on a checked build, which upstream
        // skips there, and ntio's 0x0F.
        data.releaseNoLower();
        check(services, ok, at + " try released", lock, data, original, acquired, false);
      }
    }

    okIrql(services, ok, at + " end", original);
    setIrql(services, original);
  }

  /**
   * Upstream's {@code CheckSpinLock}: KeTestSpinLock's answer ({@code ok_eq_bool(Ret, Value == 0)}
   * on MP), the saved old IRQL, and the IRQL: the acquire's level while a raising acquire holds
   * the lock, the original one otherwise.
   */
  private static void check(KernelServices services, KmtChecks ok, String at, KernelSpinLock lock, Row data,
      Irql original, boolean acquired, boolean held) {
    ok.eq(at + ": KeTestSpinLock", !held, !lock.isHeld());
    ok.eq(at + ": saved old IRQL", original, data.savedIrql());
    okIrql(services, ok, at, acquired ? Irql.DISPATCH_LEVEL : original);
  }
}
