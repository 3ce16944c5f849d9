package ntio.framework;

/**
 * The object-tree lock: one per bound driver, guarding every framework object's state, reference
 * count, parent and children, contexts, and the run state of its timers, work items and queues.
 * Models the per-object spin locks of KMDF's {@code FxObject} collapsed into one: a driver's tree
 * is small and the one lock makes parent/child moves atomic without a lock order.
 *
 * <p>Fields it guards are annotated {@code @GuardedBy("treeLock")} on objects that keep a final
 * {@code treeLock} reference to their driver's one instance. Error Prone cannot tie two objects'
 * fields to the same instance, so code that touches another object's guarded fields goes through
 * that object's {@code …Locked} methods, which assert the lock is held. Driver callbacks are never
 * called while it is held; waits (for a running timer or work-item callback) use {@link
 * Object#wait()} on it, which releases it.
 */
final class FxTreeLock {
  @Override
  public String toString() {
    return "framework object-tree lock";
  }
}
