package ntio.kernel.ke;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The lock word of one spin lock: which thread holds it, and the tickets that serve queued
 * acquirers in arrival order. Models {@code KSPIN_LOCK} (the owner is kept as the thread, as
 * checked builds of NT keep the owning {@code KTHREAD} in the lock word) with the queue of {@code
 * KLOCK_QUEUE_HANDLE}s an in-stack queued acquisition joins (partial: a ticket per acquirer rather
 * than a linked list of handles).
 *
 * <p>No IRQL here: {@link SpinLocks} raises, lowers and checks; this class only excludes. A
 * waiter spins with {@link Thread#onSpinWait}, then yields, then parks for a few microseconds, so
 * that on a machine with fewer processors than spinning threads the holder still gets to run and
 * release (a Java thread at "DISPATCH_LEVEL" can be preempted, a processor at DISPATCH_LEVEL
 * cannot).
 *
 * <p>Thread-safe. The owner is written with a compare-and-set on acquire and a release store on
 * release, so what the holder wrote under the lock is visible to the next holder.
 */
public final class KSpinLock {

  private static final VarHandle OWNER;

  static {
    try {
      OWNER = MethodHandles.lookup().findVarHandle(KSpinLock.class, "owner", Thread.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Spins before the first yield. */
  private static final int SPINS = 64;
  /** Yields before parking. */
  private static final int YIELDS = 16;
  /** The longest park between two looks, in nanoseconds. */
  private static final long MAX_PARK_NANOS = 50_000;

  @SuppressWarnings("unused") // through OWNER
  private volatile Thread owner;
  private final AtomicLong nextTicket = new AtomicLong();
  private volatile long nowServing;

  /** A free lock. Models {@code KeInitializeSpinLock}. */
  public KSpinLock() {}

  /** Whether the calling thread holds the lock. */
  public boolean isOwnedByCurrentThread() {
    return owner == Thread.currentThread();
  }

  /** Whether some thread holds the lock. */
  public boolean isHeld() {
    return owner != null;
  }

  /** Takes the lock if it is free. */
  public boolean tryLock() {
    return owner == null && OWNER.compareAndSet(this, null, Thread.currentThread());
  }

  /** Takes the lock, waiting (spinning, then yielding, then parking briefly) while it is held. */
  public void lock() {
    Thread me = Thread.currentThread();
    int round = 0;
    while (!(owner == null && OWNER.compareAndSet(this, null, me))) {
      round = backOff(round);
    }
  }

  /**
   * Takes the lock after every queued acquirer that came before: queued acquirers are served in
   * arrival order. Release it with {@link #unlockQueued}.
   */
  public void lockQueued() {
    long ticket = nextTicket.getAndIncrement();
    int round = 0;
    while (nowServing != ticket) {
      round = backOff(round);
    }
    lock();
  }

  /** Releases a lock the calling thread took with {@link #lock} or {@link #tryLock}. */
  public void unlock() {
    OWNER.setRelease(this, null);
  }

  /** Releases a lock taken with {@link #lockQueued}, letting the next queued acquirer in. */
  public void unlockQueued() {
    OWNER.setRelease(this, null);
    nowServing = nowServing + 1; // only the holder writes it
  }

  /** How many queued acquisitions have taken a ticket so far (for tests of the order). */
  long ticketsTaken() {
    return nextTicket.get();
  }

  /** One step of waiting; returns the next round. */
  private static int backOff(int round) {
    if (round < SPINS) {
      Thread.onSpinWait();
    } else if (round < SPINS + YIELDS) {
      Thread.yield();
    } else {
      LockSupport.parkNanos(Math.min(MAX_PARK_NANOS, 1_000L << Math.min(6, round - SPINS - YIELDS)));
    }
    return round == Integer.MAX_VALUE ? round : round + 1;
  }
}
