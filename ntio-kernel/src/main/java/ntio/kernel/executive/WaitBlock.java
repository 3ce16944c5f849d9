package ntio.kernel.executive;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One thread's wait on one or more events: {@code KWAIT_BLOCK}, but one block for the whole wait
 * rather than one per object, queued on every event the thread waits for.
 */
final class WaitBlock {

  /** {@link #state} while nobody has satisfied or abandoned the wait. */
  static final int WAITING = -1;

  /** {@link #state} once the waiter gave up (timeout or alert). */
  static final int CANCELLED = -2;

  final Thread thread;
  final WaitType type;

  /** The objects as the caller listed them; an index into this list is the wait key. */
  final List<KEvent> objects;

  /** The same objects without duplicates, in lock order. */
  final List<KEvent> distinct;

  /**
   * {@link #WAITING} → a wait key {@code >= 0} (satisfied: by a setter, or by the waiter itself
   * when it rechecks a WaitAll) or → {@link #CANCELLED} (by the waiter on timeout or alert).
   * Exactly one transition ever happens, by compareAndSet, which is what makes a sync event release
   * exactly one waiter even when the waiter is queued on several events.
   */
  private final AtomicInteger state = new AtomicInteger(WAITING);

  /** Set by a setter that could not take every lock of a WaitAll without blocking. */
  private volatile boolean recheck;

  WaitBlock(Thread thread, WaitType type, List<KEvent> objects, List<KEvent> distinct) {
    this.thread = thread;
    this.type = type;
    this.objects = objects;
    this.distinct = distinct;
  }

  int state() {
    return state.get();
  }

  boolean isDone() {
    return state.get() != WAITING;
  }

  /** Satisfies the wait with {@code waitKey}; false if it was already satisfied or cancelled. */
  boolean claim(int waitKey) {
    return state.compareAndSet(WAITING, waitKey);
  }

  /** Abandons the wait; false if a setter satisfied it first (the waiter must then take it). */
  boolean cancel() {
    return state.compareAndSet(WAITING, CANCELLED);
  }

  /** The wait key of {@code event}: its first position in the caller's list. */
  int waitKeyOf(KEvent event) {
    for (int i = 0; i < objects.size(); i++) {
      if (objects.get(i) == event) {
        return i;
      }
    }
    throw new IllegalStateException("wait block is queued on an event it does not wait for");
  }

  void wake() {
    LockSupport.unpark(thread);
  }

  /** Asks the waiting thread to test its WaitAll itself, holding all of its locks. */
  void requestRecheck() {
    recheck = true;
    LockSupport.unpark(thread);
  }

  /** Whether a recheck was requested since the last call; clears the request. */
  boolean takeRecheck() {
    if (!recheck) {
      return false;
    }
    recheck = false;
    return true;
  }
}
