package ntio.kernel.executive;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import ntio.api.EventType;
import ntio.ddk.NtStatus;

/**
 * A kernel event: {@code KEVENT}, initialized by {@code KeInitializeEvent}.
 *
 * <p>A {@link EventType#NOTIFICATION notification} event stays signalled once set and releases
 * every waiter; a {@link EventType#SYNCHRONIZATION synchronization} event releases exactly one
 * waiter per set and is reset by the wait it satisfies. Waits are satisfied as NT satisfies them: a
 * WaitAny takes the lowest-index signalled object, a WaitAll takes all of its objects in one atomic
 * step (resetting each synchronization event among them), and a wait never takes an object that is
 * not signalled.
 *
 * <p><b>Timeouts.</b> A null timeout waits forever (NT's NULL {@code Timeout}); {@link
 * Duration#ZERO} tests the objects and returns at once ({@code STATUS_TIMEOUT} if the wait cannot
 * be satisfied); a negative duration is an ntio bug.
 *
 * <p><b>Interruption.</b> A Java interrupt is this model's thread alert. An <em>alertable</em> wait
 * (the default of {@link #await()}, {@link #await(Duration)} and {@link #waitForMultiple(List,
 * WaitType, Duration)}) that is interrupted returns {@code STATUS_ALERTED} and leaves the thread's
 * interrupt status set, so callers further up see it too; as in NT, objects are tested first, so a
 * wait that can be satisfied at once succeeds even on an interrupted thread. A non-alertable wait
 * ({@code alertable = false}, what kernel code uses when it must see the work finish) ignores
 * interrupts until it is satisfied or times out, then restores the interrupt status.
 *
 * <p>Thread-safe. Events belong to no kernel instance; waiting on events of two kernels at once is
 * allowed, if odd.
 */
public final class KEvent {

  /*
   * Implementation notes:
   *
   * Each event has its own lock instead of NT's dispatcher database lock, so that unrelated events
   * (one per IRP, say) never contend. That leaves one hard case: a WaitAll must see all of its
   * events signalled at once and take them atomically. Every rule below serves that.
   *
   * 1. A setter only ever blocks on its own event's lock. When it walks its wait list and meets a
   *    WaitAll block it tries (tryLock, never blocking) to take the block's other events' locks;
   *    with all held it can test and satisfy the WaitAll exactly as NT's KiWaitTest would. If a
   *    lock is busy it asks the waiting thread to recheck by itself, and goes on down its list.
   * 2. A waiter takes all of its events' locks, blocking, in one global order: by `lockOrder`, a
   *    random 64-bit key per event. Equal keys (a 2^-64 chance per pair) are taken with tryLock and
   *    the whole attempt restarts on failure, so blocking acquisitions always go strictly upward in
   *    the order and no cycle can form. No static state is needed for the order.
   * 3. A wait block changes state exactly once (WaitBlock.state); whoever wins that compareAndSet
   *    owns the outcome: a setter that satisfied a block consumed its event for it, so a waiter
   *    that times out and loses the race must return success, never drop the signal.
   *
   * Divergence from NT, only under contention: when rule 1 falls back to a recheck, waiters queued
   * behind the WaitAll block on this event may take a synchronization event first, and a pulse may
   * come and go before the recheck runs. NT's single dispatcher lock makes the order strict FIFO.
   */

  /** NT's {@code MAXIMUM_WAIT_OBJECTS}: the most objects one wait may name. */
  public static final int MAXIMUM_WAIT_OBJECTS = 64;

  private static final Comparator<KEvent> LOCK_ORDER =
      Comparator.comparingLong(event -> event.lockOrder);

  /** Waits longer than this are treated as infinite, so deadline arithmetic cannot overflow. */
  private static final long FOREVER_NANOS = Long.MAX_VALUE / 4;

  private final EventType type;

  /** This event's place in the order waiters take several event locks in. */
  private final long lockOrder = ThreadLocalRandom.current().nextLong();

  private final ReentrantLock lock = new ReentrantLock();

  /** {@code Header.SignalState}: true is signalled. */
  @GuardedBy("lock")
  private boolean signalled;

  /**
   * {@code Header.WaitListHead}, in arrival order. Blocks that are already done (satisfied through
   * another event, or cancelled) may linger until a setter or their waiter removes them.
   */
  @GuardedBy("lock")
  private final ArrayDeque<WaitBlock> waitList = new ArrayDeque<>();

  /**
   * A new event of {@code type}, signalled or not.
   *
   * <p>Models {@code KeInitializeEvent} (full).
   */
  public KEvent(EventType type, boolean signalled) {
    this.type = Objects.requireNonNull(type, "type");
    lock.lock();
    try {
      this.signalled = signalled;
    } finally {
      lock.unlock();
    }
  }

  /** Notification or synchronization. Models {@code Header.Type} of the event (full). */
  public EventType type() {
    return type;
  }

  /**
   * Signals the event and satisfies the waits it can: every waiter of a notification event, the
   * first satisfiable waiter of a synchronization event (which then goes back to not-signalled).
   *
   * <p>Models {@code KeSetEvent} (full; no {@code Increment} or {@code Wait} arguments, which only
   * tune scheduling).
   *
   * @return the previous state: true if the event was already signalled
   */
  @CanIgnoreReturnValue
  public boolean set() {
    lock.lock();
    try {
      boolean previous = signalled;
      if (!previous) {
        signalled = true;
        satisfyWaitersLocked();
      }
      return previous;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Sets the event to not-signalled.
   *
   * <p>Models {@code KeResetEvent} (full).
   *
   * @return the previous state: true if the event was signalled
   */
  @CanIgnoreReturnValue
  public boolean reset() {
    lock.lock();
    try {
      boolean previous = signalled;
      signalled = false;
      return previous;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Sets the event to not-signalled, without reporting the previous state.
   *
   * <p>Models {@code KeClearEvent} (full).
   */
  public void clear() {
    lock.lock();
    try {
      signalled = false;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Sets and resets the event in one atomic step: the waits that can be satisfied right now are
   * (all waiters of a notification event, one of a synchronization event), and the event is left
   * not-signalled whatever its state was.
   *
   * <p>Models {@code KePulseEvent} (full; see the class notes for a WaitAll under contention).
   *
   * @return the previous state: true if the event was signalled
   */
  @CanIgnoreReturnValue
  public boolean pulse() {
    lock.lock();
    try {
      boolean previous = signalled;
      if (!previous) {
        signalled = true;
        satisfyWaitersLocked();
      }
      signalled = false;
      return previous;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Whether the event is signalled right now.
   *
   * <p>Models {@code KeReadStateEvent} (full).
   */
  public boolean readState() {
    lock.lock();
    try {
      return signalled;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits, alertable, until the event is signalled.
   *
   * <p>Models {@code KeWaitForSingleObject} with a NULL timeout (full).
   *
   * @return {@code STATUS_SUCCESS}, or {@code STATUS_ALERTED} if the thread was interrupted
   */
  public NtStatus await() {
    return await(null, true);
  }

  /**
   * Waits, alertable, until the event is signalled or {@code timeout} passes.
   *
   * <p>Models {@code KeWaitForSingleObject} (full).
   *
   * @param timeout how long to wait; null waits forever, zero only tests
   * @return {@code STATUS_SUCCESS}, {@code STATUS_TIMEOUT}, or {@code STATUS_ALERTED} if the thread
   *     was interrupted
   */
  public NtStatus await(Duration timeout) {
    return await(timeout, true);
  }

  /**
   * Waits until the event is signalled or {@code timeout} passes.
   *
   * <p>Models {@code KeWaitForSingleObject} (full; {@code WaitReason} and {@code WaitMode} only
   * tune scheduling and are left out).
   *
   * @param timeout how long to wait; null waits forever, zero only tests
   * @param alertable whether an interrupt ends the wait with {@code STATUS_ALERTED}
   * @return {@code STATUS_SUCCESS}, {@code STATUS_TIMEOUT} or {@code STATUS_ALERTED}
   */
  public NtStatus await(Duration timeout, boolean alertable) {
    return waitForMultiple(List.of(this), WaitType.ANY, timeout, alertable);
  }

  /**
   * Waits, alertable, on several events at once.
   *
   * <p>Models {@code KeWaitForMultipleObjects} (full), as {@link #waitForMultiple(List, WaitType,
   * Duration, boolean)} with {@code alertable = true}.
   */
  public static NtStatus waitForMultiple(List<KEvent> events, WaitType waitType, Duration timeout) {
    return waitForMultiple(events, waitType, timeout, true);
  }

  /**
   * Waits on several events at once: until one is signalled (WaitAny) or all are signalled at the
   * same moment (WaitAll), or {@code timeout} passes.
   *
   * <p>Models {@code KeWaitForMultipleObjects} (full).
   *
   * @implNote NT bug-checks {@code MAXIMUM_WAIT_OBJECTS_EXCEEDED} for more than {@value
   *     #MAXIMUM_WAIT_OBJECTS} objects and {@code NtWaitForMultipleObjects} fails an empty list;
   *     ntio returns {@code STATUS_INVALID_PARAMETER} for both. The same event named twice in a
   *     WaitAll gives {@code STATUS_INVALID_PARAMETER_MIX}, as {@code NtWaitForMultipleObjects}
   *     does; in a WaitAny it is allowed and its first position is the wait key.
   * @param events the events, at most {@value #MAXIMUM_WAIT_OBJECTS}
   * @param timeout how long to wait; null waits forever, zero only tests
   * @param alertable whether an interrupt ends the wait with {@code STATUS_ALERTED}
   * @return for WaitAny {@code STATUS_WAIT_0 + i} where {@code i} is the index of the event that
   *     satisfied it ({@code STATUS_WAIT_0} is {@code STATUS_SUCCESS}); for WaitAll {@code
   *     STATUS_SUCCESS}; else {@code STATUS_TIMEOUT}, {@code STATUS_ALERTED}, {@code
   *     STATUS_INVALID_PARAMETER} or {@code STATUS_INVALID_PARAMETER_MIX}
   */
  public static NtStatus waitForMultiple(
      List<KEvent> events, WaitType waitType, Duration timeout, boolean alertable) {
    Objects.requireNonNull(events, "events");
    Objects.requireNonNull(waitType, "waitType");
    if (timeout != null && timeout.isNegative()) {
      throw new IllegalArgumentException("negative wait timeout " + timeout);
    }
    if (events.isEmpty() || events.size() > MAXIMUM_WAIT_OBJECTS) {
      return NtStatus.STATUS_INVALID_PARAMETER;
    }
    List<KEvent> objects = List.copyOf(events);
    Set<KEvent> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<KEvent> distinct = new ArrayList<>(objects.size());
    for (KEvent event : objects) {
      if (seen.add(event)) {
        distinct.add(event);
      }
    }
    if (waitType == WaitType.ALL && distinct.size() != objects.size()) {
      return NtStatus.STATUS_INVALID_PARAMETER_MIX;
    }
    distinct.sort(LOCK_ORDER);
    return waitOn(objects, List.copyOf(distinct), waitType, timeout, alertable);
  }

  private static NtStatus waitOn(
      List<KEvent> objects,
      List<KEvent> distinct,
      WaitType waitType,
      Duration timeout,
      boolean alertable) {
    long timeoutNanos = timeout == null ? FOREVER_NANOS : saturatedNanos(timeout);
    boolean forever = timeoutNanos >= FOREVER_NANOS;
    long start = System.nanoTime();
    WaitBlock block;
    lockAll(distinct);
    try {
      int waitKey = tryTakeAllLocked(objects, distinct, waitType);
      if (waitKey >= 0) {
        return waitStatus(waitKey);
      }
      if (timeoutNanos == 0) {
        return NtStatus.STATUS_TIMEOUT;
      }
      if (alertable && Thread.currentThread().isInterrupted()) {
        return NtStatus.STATUS_ALERTED;
      }
      block = new WaitBlock(Thread.currentThread(), waitType, objects, distinct);
      enqueueAllLocked(block);
    } finally {
      unlockAll(distinct);
    }

    boolean swallowedInterrupt = false;
    try {
      while (true) {
        int state = block.state();
        if (state >= 0) {
          return waitStatus(state);
        }
        if (waitType == WaitType.ALL && block.takeRecheck()) {
          recheckAll(block);
          continue;
        }
        long remaining = forever ? FOREVER_NANOS : timeoutNanos - (System.nanoTime() - start);
        if (remaining <= 0) {
          if (block.cancel()) {
            return NtStatus.STATUS_TIMEOUT;
          }
          continue; // satisfied in the meantime: the signal is ours and must not be lost
        }
        if (Thread.currentThread().isInterrupted()) {
          if (alertable) {
            if (block.cancel()) {
              return NtStatus.STATUS_ALERTED;
            }
            continue;
          }
          // Non-alertable: park would return at once while the flag is set; clear it, restore it
          // when the wait ends.
          Thread.interrupted();
          swallowedInterrupt = true;
        }
        if (forever) {
          LockSupport.park(block);
        } else {
          LockSupport.parkNanos(block, remaining);
        }
      }
    } finally {
      for (KEvent event : distinct) {
        event.dequeue(block);
      }
      if (swallowedInterrupt) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The status for a satisfied wait key: {@code STATUS_WAIT_0 + key}. */
  private static NtStatus waitStatus(int waitKey) {
    return waitKey == 0 ? NtStatus.STATUS_SUCCESS : NtStatus.of(waitKey);
  }

  private static long saturatedNanos(Duration timeout) {
    try {
      return Math.min(timeout.toNanos(), FOREVER_NANOS);
    } catch (ArithmeticException tooLong) {
      return FOREVER_NANOS;
    }
  }

  /**
   * With every lock of {@code distinct} held: satisfies the wait at once if it can, consuming what
   * it takes, and returns the wait key; else -1.
   */
  @SuppressWarnings("GuardedBy") // lockAll holds every event's lock; Error Prone cannot follow it
  private static int tryTakeAllLocked(
      List<KEvent> objects, List<KEvent> distinct, WaitType waitType) {
    if (waitType == WaitType.ANY) {
      for (int i = 0; i < objects.size(); i++) {
        KEvent event = objects.get(i);
        if (event.signalled) {
          event.consumeLocked();
          return i;
        }
      }
      return -1;
    }
    for (KEvent event : distinct) {
      if (!event.signalled) {
        return -1;
      }
    }
    for (KEvent event : distinct) {
      event.consumeLocked();
    }
    return 0;
  }

  @SuppressWarnings("GuardedBy") // lockAll holds every event's lock; Error Prone cannot follow it
  private static void enqueueAllLocked(WaitBlock block) {
    for (KEvent event : block.distinct) {
      event.waitList.addLast(block);
    }
  }

  /** The waiter tests its own WaitAll, holding all of its locks (rule 1's fallback). */
  @SuppressWarnings("GuardedBy") // lockAll holds every event's lock; Error Prone cannot follow it
  private static void recheckAll(WaitBlock block) {
    lockAll(block.distinct);
    try {
      if (block.isDone()) {
        return;
      }
      for (KEvent event : block.distinct) {
        if (!event.signalled) {
          return;
        }
      }
      if (block.claim(0)) {
        for (KEvent event : block.distinct) {
          event.consumeLocked();
          event.waitList.remove(block);
        }
      }
    } finally {
      unlockAll(block.distinct);
    }
  }

  /** Takes the locks of {@code sorted} (in lock order) as implementation note 2 describes. */
  private static void lockAll(List<KEvent> sorted) {
    while (true) {
      int held = 0;
      boolean complete = true;
      for (int i = 0; i < sorted.size(); i++) {
        KEvent event = sorted.get(i);
        boolean tied = i > 0 && sorted.get(i - 1).lockOrder == event.lockOrder;
        if (tied) {
          if (!event.lock.tryLock()) {
            complete = false;
            break;
          }
        } else {
          event.lock.lock();
        }
        held++;
      }
      if (complete) {
        return;
      }
      for (int i = held - 1; i >= 0; i--) {
        sorted.get(i).lock.unlock();
      }
      Thread.onSpinWait();
    }
  }

  private static void unlockAll(List<KEvent> sorted) {
    for (int i = sorted.size() - 1; i >= 0; i--) {
      sorted.get(i).lock.unlock();
    }
  }

  /**
   * A wait satisfied by this event takes it: a synchronization event goes back to not-signalled.
   */
  @GuardedBy("lock")
  private void consumeLocked() {
    if (type == EventType.SYNCHRONIZATION) {
      signalled = false;
    }
  }

  /**
   * Walks the wait list while the event stays signalled and satisfies what it can: {@code
   * KiWaitTest}.
   */
  @GuardedBy("lock")
  private void satisfyWaitersLocked() {
    Iterator<WaitBlock> waiters = waitList.iterator();
    while (signalled && waiters.hasNext()) {
      WaitBlock block = waiters.next();
      if (block.isDone()) {
        waiters.remove();
        continue;
      }
      if (block.type == WaitType.ANY) {
        if (block.claim(block.waitKeyOf(this))) {
          consumeLocked();
          block.wake();
        }
        waiters.remove();
        continue;
      }
      switch (trySatisfyAllLocked(block)) {
        case SATISFIED, ALREADY_DONE -> waiters.remove();
        case CONTENDED -> block.requestRecheck();
        case NOT_READY -> {
          // Another of its events is not signalled: the block stays queued here.
        }
      }
    }
  }

  private enum WaitAllTest {
    SATISFIED,
    ALREADY_DONE,
    NOT_READY,
    CONTENDED
  }

  /**
   * Holding this event's lock, tries to take the other locks of a WaitAll block without blocking
   * and to satisfy it (implementation note 1).
   */
  @GuardedBy("lock")
  @SuppressWarnings("GuardedBy") // the other events' locks are held by tryLock; see note 1
  private WaitAllTest trySatisfyAllLocked(WaitBlock block) {
    List<KEvent> held = new ArrayList<>(block.distinct.size());
    try {
      for (KEvent other : block.distinct) {
        if (other == this) {
          continue;
        }
        if (!other.lock.tryLock()) {
          return WaitAllTest.CONTENDED;
        }
        held.add(other);
      }
      if (block.isDone()) {
        return WaitAllTest.ALREADY_DONE;
      }
      for (KEvent event : block.distinct) {
        if (!event.signalled) {
          return WaitAllTest.NOT_READY;
        }
      }
      if (!block.claim(0)) {
        return WaitAllTest.ALREADY_DONE;
      }
      for (KEvent event : block.distinct) {
        event.consumeLocked();
      }
      for (KEvent other : held) {
        other.waitList.remove(block);
      }
      block.wake();
      return WaitAllTest.SATISFIED;
    } finally {
      for (KEvent other : held) {
        other.lock.unlock();
      }
    }
  }

  private void dequeue(WaitBlock block) {
    lock.lock();
    try {
      waitList.remove(block);
    } finally {
      lock.unlock();
    }
  }

  /** How many wait blocks are queued on this event, done or not (for tests). */
  int waitListLength() {
    lock.lock();
    try {
      return waitList.size();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "KEvent[" + type + ", " + (readState() ? "signalled" : "not signalled") + "]";
  }
}
