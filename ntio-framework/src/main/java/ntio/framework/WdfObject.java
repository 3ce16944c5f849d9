package ntio.framework;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import ntio.ddk.NtStatus;

/**
 * A framework object handle: {@code WDFOBJECT}, and the base of every typed handle ({@link
 * WdfDriver}, {@link WdfDevice}, {@link WdfIoQueue}, {@link WdfRequest}, {@link WdfMemory}, {@link
 * WdfTimer}, {@link WdfWorkItem}). Models KMDF's {@code FxObject} (S1–S3): a reference count that
 * starts at one (the creation reference), a parent and children kept only as list membership
 * (O1), a chain of typed contexts each with its own cleanup and destroy callbacks (O19), and the
 * state machine of {@link WdfObjectState}.
 *
 * <p>The driver never calls methods of this class to change an object: it calls the DDIs of its
 * {@link Wdf}, as a C driver calls {@code WdfObjectDelete(handle)}. What is public here is the
 * handle's identity and a diagnostic view of its state, as a debugger extension shows it.
 */
public class WdfObject {

  /*
   * Implementation notes.
   *
   * Every mutable field is guarded by the driver's one FxTreeLock. Deletion (O8) decides under the
   * lock what to tear down — it marks the subtree DISPOSING_EARLY and collects it leaves-first —
   * then runs each object's dispose hook and cleanup callbacks with the lock released, then, under
   * the lock again per object, unlinks each from its parent and releases its creation reference.
   * An object whose count reaches zero is destroyed right there, outside the lock: destroy
   * callbacks, the type's destroy hook, the tag check, free. Driver code is never called with the
   * lock held, so a callback may call any DDI, including creating or deleting other objects.
   *
   * A child takes no reference on its parent (O1). Timers and work items do, through their own
   * hooks (S17), so their parent outlives them.
   *
   * O10: WdfObjectDelete above PASSIVE_LEVEL of a subtree holding an object that must be disposed
   * at PASSIVE_LEVEL leaves the tree at once and hands the rest to the driver's FxDisposeList, as
   * FxObject::DeleteObject does when ShouldDeferDisposeLocked says so (fxobjectstatemachine.cpp).
   * [MODEL] KMDF may defer a child alone (D2); ntio defers the whole subtree, keeping O9's order.
   */

  private static final int STATE_HISTORY = 8;

  final FxGlobals globals;
  final FxTreeLock treeLock;
  private final WdfHandleType type;
  private final FxPool.Allocation allocation;

  /**
   * The object's state. Transitions are those of {@link WdfObjectState}; {@link
   * #transitionToLocked} is the only writer and keeps the last {@value #STATE_HISTORY} states.
   */
  @GuardedBy("treeLock")
  private WdfObjectState state = WdfObjectState.INITIALIZED;

  @GuardedBy("treeLock")
  private final ArrayDeque<WdfObjectState> stateHistory = new ArrayDeque<>();

  /** References: 1 at creation (the creation reference), plus the driver's and the framework's. */
  @GuardedBy("treeLock")
  private int references = 1;

  @GuardedBy("treeLock")
  private WdfObject parent;

  /** Children in insertion order (the order teardown walks them; tests must not rely on it). */
  @GuardedBy("treeLock")
  private final Set<WdfObject> children = new LinkedHashSet<>();

  /** Whether WdfObjectDelete (or the framework's delete) was called: a second one is V-KMDF-16. */
  @GuardedBy("treeLock")
  private boolean deleteCalled;

  /** {@code MarkNoDeleteDDI}: the driver may not delete it (O14). */
  @GuardedBy("treeLock")
  private boolean noDeleteDdi;

  /** Whether its dispose (type hook and cleanup callbacks) has started: it runs once. */
  @GuardedBy("treeLock")
  private boolean disposed;

  /** Its typed contexts and their callbacks (O19); {@link FxContextChain#allocate} adds to it. */
  final FxContextChain contexts;

  /** {@code ExecutionLevel} Passive in its attributes: KMDF's {@code MarkPassiveCallbacks} in Commit. */
  private final boolean passiveLevel;

  /** Set once by the constructor of a driver, device or queue ({@link #deliversCallbacks}). */
  private FxConstraints constraints;
  private FxCallbackLock callbackLock;
  /** Whether leak detection counted it when it was constructed (V-KMDF-08). */
  private final boolean countedForLeaks;

  /** The tag tracker, when the verifier tracks this type (O18); its methods run under the lock. */
  @GuardedBy("treeLock")
  private final FxTagTracker tags;

  WdfObject(FxGlobals globals, WdfHandleType type, FxPool.Allocation allocation,
      WdfObjectAttributes attributes) {
    this.globals = globals;
    this.treeLock = globals.treeLock;
    this.type = type;
    this.allocation = allocation;
    this.contexts = new FxContextChain(treeLock, attributes);
    this.passiveLevel = attributes != null
        && attributes.executionLevel() == WdfObjectAttributes.ExecutionLevel.PASSIVE;
    synchronized (treeLock) {
      this.tags = globals.settings.tracks(type) ? new FxTagTracker() : null;
      stateHistory.add(state);
    }
    this.countedForLeaks = globals.leakDetection.constructed(type);
  }

  // Identity and diagnostics ------------------------------------------------------------------

  /** The handle's type. */
  public final WdfHandleType type() {
    return type;
  }

  /**
   * The handle value, derived from the object's address as KMDF's handles are; what findings and
   * bug-check parameters print.
   */
  public final long handle() {
    return ~address();
  }

  /** The address of the object's framework allocation (its header in pool). */
  final long address() {
    return allocation.address();
  }

  /** The object's state now: a diagnostic snapshot, as {@code !wdfhandle} shows it. */
  public final WdfObjectState state() {
    synchronized (treeLock) {
      return state;
    }
  }

  /** The last states the object went through, oldest first: a diagnostic snapshot. */
  public final List<WdfObjectState> stateHistory() {
    synchronized (treeLock) {
      return List.copyOf(stateHistory);
    }
  }

  /** The object's reference count now: a diagnostic snapshot. */
  public final int referenceCount() {
    synchronized (treeLock) {
      return references;
    }
  }

  /** The object's parent now, or null: a diagnostic snapshot. */
  public final WdfObject parent() {
    synchronized (treeLock) {
      return parent;
    }
  }

  /** The object's children now, in insertion order: a diagnostic snapshot. */
  public final List<WdfObject> children() {
    synchronized (treeLock) {
      return List.copyOf(children);
    }
  }

  /** The execution level in effect for a driver's, device's or queue's callbacks (never inherit); else null. */
  public final WdfObjectAttributes.ExecutionLevel executionLevel() {
    return constraints() == null ? null : constraints().level();
  }

  /** The synchronization scope in effect for a driver's, device's or queue's callbacks; else null. */
  public final WdfObjectAttributes.SynchronizationScope synchronizationScope() {
    return constraints() == null ? null : constraints().scope();
  }

  /** {@code WDFMEMORY 0xFFFF…}. */
  @Override
  public String toString() {
    return String.format("%s 0x%016X", type, handle());
  }

  // Lock-held views for other objects of the tree ------------------------------------------------

  @SuppressWarnings("GuardedBy") // the one tree lock of this driver; see FxTreeLock
  final WdfObjectState stateLocked() {
    assert Thread.holdsLock(treeLock) : "tree lock not held";
    return state;
  }

  @SuppressWarnings("GuardedBy") // see FxTreeLock
  final WdfObject parentLocked() {
    assert Thread.holdsLock(treeLock) : "tree lock not held";
    return parent;
  }

  @SuppressWarnings("GuardedBy") // see FxTreeLock
  private void addChildLocked(WdfObject child) {
    assert Thread.holdsLock(treeLock) : "tree lock not held";
    children.add(child);
  }

  @SuppressWarnings("GuardedBy") // see FxTreeLock
  private void removeChildLocked(WdfObject child) {
    assert Thread.holdsLock(treeLock) : "tree lock not held";
    children.remove(child);
  }

  @SuppressWarnings("GuardedBy") // see FxTreeLock
  private void earlyDisposeLocked(List<WdfObject> leavesFirst) {
    assert Thread.holdsLock(treeLock) : "tree lock not held";
    transitionToLocked(WdfObjectState.DISPOSING_EARLY);
    for (WdfObject child : children) {
      child.earlyDisposeLocked(leavesFirst);
    }
    leavesFirst.add(this);
  }

  /** The nearest WDFDEVICE at or above this object, or null. */
  final WdfDevice deviceAncestorLocked() {
    for (WdfObject o = this; o != null; o = o.parentLocked()) {
      if (o instanceof WdfDevice device) {
        return device;
      }
    }
    return null;
  }

  // Execution level and callbacks ----------------------------------------------------------------

  /** Its resolved constraints when it delivers callbacks (driver, device, queue); else null. */
  final FxConstraints constraints() {
    return constraints;
  }

  /** Its callback lock when it delivers callbacks; else null. Models {@code GetCallbackLockPtr}. */
  final FxCallbackLock callbackLock() {
    return callbackLock;
  }

  /** Makes it an object that delivers callbacks; its subclass's constructor calls it once. */
  final void deliversCallbacks(FxConstraints resolved, FxCallbackLock lock) {
    this.constraints = resolved;
    this.callbackLock = lock;
  }

  /** Whether its callbacks, dispose and destroy run at PASSIVE_LEVEL (its ExecutionLevel). */
  final boolean passiveCallbacks() {
    return constraints != null ? constraints.passive() : passiveLevel;
  }

  private boolean passiveDispose() {
    return passiveCallbacks() || type.passiveDispose();
  }

  @SuppressWarnings("GuardedBy") // see FxTreeLock
  private boolean subtreeNeedsPassiveLocked() {
    assert Thread.holdsLock(treeLock) : "tree lock not held";
    if (passiveDispose()) {
      return true;
    }
    for (WdfObject child : children) {
      if (child.subtreeNeedsPassiveLocked()) {
        return true;
      }
    }
    return false;
  }

  @GuardedBy("treeLock")
  private void transitionToLocked(WdfObjectState next) {
    if (!state.canBecome(next)) {
      throw new IllegalStateException(this + ": illegal transition " + state + " -> " + next
          + " (history " + stateHistory + ")");
    }
    state = next;
    if (stateHistory.size() == STATE_HISTORY) {
      stateHistory.removeFirst();
    }
    stateHistory.addLast(next);
  }

  // Creation ------------------------------------------------------------------------------------

  /** Marks the object as one the driver may not delete ({@code MarkNoDeleteDDI}, O14). */
  final void markNoDeleteDdi() {
    synchronized (treeLock) {
      noDeleteDdi = true;
    }
  }

  /**
   * Commits the object into the tree under {@code newParent}, or as a root when it is null, and
   * arms its callbacks. Models {@code FxObject::Commit} with {@code AssignParentObject} (O4).
   *
   * @return {@code STATUS_SUCCESS}; {@code STATUS_DELETE_PENDING} when the parent has started
   *     deletion; {@code STATUS_WDF_PARENT_IS_SELF} or {@code STATUS_WDF_PARENT_ALREADY_ASSIGNED}
   *     (unreachable through the public DDIs, which cannot reparent)
   */
  final NtStatus commit(WdfObject newParent) {
    return commit(newParent, false);
  }

  /**
   * {@link #commit(WdfObject)}, and when {@code referenceParent} also takes a reference on the
   * parent, tagged with this object, in the same step: a timer's or work item's (S17), so the
   * parent cannot be destroyed between the two.
   */
  final NtStatus commit(WdfObject newParent, boolean referenceParent) {
    synchronized (treeLock) {
      if (newParent != null) {
        if (newParent == this) {
          return NtStatus.STATUS_WDF_PARENT_IS_SELF;
        }
        if (parent != null) {
          return NtStatus.STATUS_WDF_PARENT_ALREADY_ASSIGNED;
        }
        if (state != WdfObjectState.INITIALIZED
            || newParent.stateLocked() != WdfObjectState.CREATED) {
          return NtStatus.STATUS_DELETE_PENDING;
        }
        newParent.addChildLocked(this);
        parent = newParent;
        if (referenceParent) {
          newParent.referenceLocked(this, "child " + type + " created");
        }
      }
      transitionToLocked(WdfObjectState.CREATED);
      return NtStatus.STATUS_SUCCESS;
    }
  }

  /**
   * Discards an object whose creating DDI failed after allocating it. Models {@code
   * DeleteFromFailedCreate} (O6): its cleanup and destroy callbacks are cleared first, so the
   * driver never hears of it.
   */
  final void discardFailedCreate() {
    List<FxPool.Allocation> free = new ArrayList<>();
    synchronized (treeLock) {
      contexts.clearCallbacksLocked();
    }
    discardResources();
    synchronized (treeLock) {
      transitionToLocked(WdfObjectState.DESTROYED);
      collectAllocationsLocked(free);
    }
    if (countedForLeaks) {
      globals.leakDetection.destroyed(type);
    }
    free.forEach(globals.pool::free);
  }

  // Type hooks ------------------------------------------------------------------------------------

  /**
   * The type's own dispose, run once, outside the tree lock, before the object's cleanup
   * callbacks (O8 step 4): a timer stops and waits for its callback, a work item flushes, a queue
   * cancels what waits in it, a device deletes its device object.
   */
  void disposeResources() {}

  /**
   * The type's own destroy, run once when the count reaches zero, after the destroy callbacks and
   * outside the tree lock: a timer or work item releases its reference on its parent.
   *
   * @param attached whether the object is still in a tree (it was dereferenced to zero, not
   *     deleted)
   */
  void destroyResources(boolean attached) {}

  /** What a failed creation must undo of the type's own setup; called outside the tree lock. */
  void discardResources() {}

  // Deletion ----------------------------------------------------------------------------------------

  /**
   * Deletes the object and its subtree. Models {@code FxObject::DeleteObject} (O8, O9, O14, O15).
   *
   * @param byDriver true for {@code WdfObjectDelete}, which refuses no-delete objects (V-KMDF-05)
   *     and reports a second call (V-KMDF-16); false for the framework's own deletes
   */
  final void delete(boolean byDriver) {
    List<WdfObject> subtree = new ArrayList<>();
    String finding = null;
    String check = null;
    boolean started = false;
    boolean deferred = false;
    boolean raised = FxIrql.raised(globals);
    synchronized (treeLock) {
      if (byDriver && noDeleteDdi) {
        check = "V-KMDF-05";
        finding = "WdfObjectDelete on " + this + ", which the driver may not delete: "
            + NtStatus.STATUS_CANNOT_DELETE + "; the object is not deleted";
      } else if (deleteCalled) {
        if (byDriver) {
          check = "V-KMDF-16";
          finding = "WdfObjectDelete called twice on " + this + " (state " + state
              + "); the second call is ignored";
        }
      } else {
        deleteCalled = true;
        if (state != WdfObjectState.CREATED) {
          // An ancestor's teardown already owns it (WaitingForEarlyDispose): it finishes the job.
          return;
        }
        if (parent != null) {
          parent.removeChildLocked(this);
          parent = null;
        }
        if (raised && subtreeNeedsPassiveLocked()) {
          transitionToLocked(WdfObjectState.DEFERRED_DELETING);
          deferred = true;
        } else {
          startDisposingLocked(subtree);
          started = true;
        }
      }
    }
    if (check != null) {
      globals.verifierBreak(check, finding);
    } else if (deferred) {
      globals.disposeList.add(this, this::deferredDelete);
    } else if (started) {
      finishDelete(subtree);
    }
  }

  @GuardedBy("treeLock")
  private void startDisposingLocked(List<WdfObject> subtree) {
    transitionToLocked(WdfObjectState.DELETED_DISPOSING);
    children.forEach(child -> child.earlyDisposeLocked(subtree));
  }

  /** The rest of a delete deferred by O10, on the dispose list's worker at PASSIVE_LEVEL. */
  private void deferredDelete() {
    List<WdfObject> subtree = new ArrayList<>();
    synchronized (treeLock) {
      startDisposingLocked(subtree);
    }
    finishDelete(subtree);
  }

  /** O8 steps 3 (the collected subtree's cleanups) to 6, outside the tree lock. */
  private void finishDelete(List<WdfObject> subtree) {
    for (WdfObject descendant : subtree) {
      descendant.dispose();
      descendant.disposed();
    }
    dispose();
    synchronized (treeLock) {
      transitionToLocked(WdfObjectState.DELETED_AND_DISPOSED);
    }
    for (WdfObject descendant : subtree) {
      descendant.parentDeleted();
    }
    release(null, "delete");
  }

  private void disposed() {
    synchronized (treeLock) {
      transitionToLocked(WdfObjectState.DISPOSED);
    }
  }

  /** The final event of an ancestor's teardown: leave the tree and drop the creation reference. */
  private void parentDeleted() {
    synchronized (treeLock) {
      if (parent != null) {
        parent.removeChildLocked(this);
        parent = null;
      }
      transitionToLocked(WdfObjectState.DELETED_AND_DISPOSED);
    }
    release(null, "parent deleted");
  }

  /** The type's dispose hook, then every context's cleanup callback, once. */
  private void dispose() {
    synchronized (treeLock) {
      if (disposed) {
        return;
      }
      disposed = true;
    }
    disposeResources();
    contexts.runCleanupCallbacks(this);
  }

  // References ------------------------------------------------------------------------------------

  /** Adds a reference. Models {@code WdfObjectReferenceActual} (O17). */
  final void reference(Object tag, String site) {
    synchronized (treeLock) {
      referenceLocked(tag, site);
    }
  }

  @SuppressWarnings("GuardedBy") // see FxTreeLock
  private void referenceLocked(Object tag, String site) {
    assert Thread.holdsLock(treeLock) : "tree lock not held";
    if (state == WdfObjectState.DESTROYED) {
      throw new IllegalStateException(this + " referenced after destroy");
    }
    references++;
    if (tags != null) {
      tags.acquire(tag, site);
    }
  }

  /**
   * Releases a reference; at zero the object is destroyed. Models {@code
   * WdfObjectDereferenceActual} and {@code FxObject::Release} (O12, O13, O17, O18).
   */
  final void release(Object tag, String site) {
    boolean destroy;
    boolean neverDeleted;
    String notAcquired = null;
    synchronized (treeLock) {
      if (references <= 0) {
        throw new IllegalStateException(this + ": reference count underflow, " + references + " - 1");
      }
      if (tags != null) {
        notAcquired = tags.release(tag, site);
      }
      references--;
      destroy = references == 0;
      neverDeleted = destroy && state != WdfObjectState.DELETED_AND_DISPOSED;
    }
    if (notAcquired != null) {
      globals.verifierBreak("V-KMDF-06", this + ": " + notAcquired);
    }
    if (destroy && !neverDeleted && passiveDispose() && FxIrql.raised(globals)) {
      // D3: this type's destroy runs at PASSIVE_LEVEL; KMDF's DeferedDestroy.
      synchronized (treeLock) {
        transitionToLocked(WdfObjectState.DEFERRED_DESTROY);
      }
      globals.disposeList.add(this, () -> destroy(false));
    } else if (destroy) {
      destroy(neverDeleted);
    }
  }

  /**
   * The count reached zero: destroy callbacks, the type's destroy, the abandoned-tag check, free.
   * Models {@code FxObject::ProcessDestroy} and the destructor's checks.
   *
   * @param neverDeleted the object was dereferenced to zero without a delete (O13): its pending
   *     cleanup runs first, and if it is still in a tree the destructor bug-checks (V-KMDF-01)
   */
  private void destroy(boolean neverDeleted) {
    if (neverDeleted) {
      dispose();
    }
    contexts.runDestroyCallbacks(this);
    boolean attached;
    synchronized (treeLock) {
      attached = parent != null || !children.isEmpty();
    }
    destroyResources(attached);
    List<String> abandoned;
    List<FxPool.Allocation> free = new ArrayList<>();
    synchronized (treeLock) {
      abandoned = tags == null ? List.of() : tags.abandoned();
      transitionToLocked(WdfObjectState.DESTROYED);
      if (!(neverDeleted && attached)) {
        collectAllocationsLocked(free);
      }
    }
    if (countedForLeaks) {
      globals.leakDetection.destroyed(type);
    }
    if (!abandoned.isEmpty()) {
      globals.verifierBreak("V-KMDF-07", "Abandoned tags on ref of " + this + " at destroy: "
          + String.join("; ", abandoned));
    }
    if (neverDeleted && attached) {
      throw globals.bugCheck(FxGlobals.WDF_OBJECT_ERROR, handle(), address(),
          this + " was freed using WdfObjectDereference, not WdfObjectDelete, while it still has "
              + (parent() != null ? "a parent" : "children"));
    }
    free.forEach(globals.pool::free);
  }

  @GuardedBy("treeLock")
  private void collectAllocationsLocked(List<FxPool.Allocation> free) {
    contexts.collectAllocationsLocked(free);
    free.add(allocation);
  }

  // Contexts ----------------------------------------------------------------------------------------

  /** The context of {@code contextType}, or null. Models {@code WdfObjectGetTypedContext} (full). */
  final <T> T context(ContextType<T> contextType) {
    synchronized (treeLock) {
      return contextType.type().cast(contexts.findLocked(contextType));
    }
  }
}
