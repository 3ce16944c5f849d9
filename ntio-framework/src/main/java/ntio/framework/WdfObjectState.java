package ntio.framework;

/**
 * Where a framework object is in its life. Models KMDF's {@code FxObjectState} (S1, S3; O7),
 * collapsed as O7 allows: {@code WaitingForEarlyDispose} / {@code
 * WaitingForParentDeleteAndDisposed} are the flag "delete was called" on an object in {@link
 * #DISPOSING_EARLY} or {@link #DISPOSED}; {@code DeferedDisposing} is folded into {@link
 * #DEFERRED_DELETING}, because a delete asked for above PASSIVE_LEVEL defers its whole subtree
 * (O10: see {@link WdfObject}).
 *
 * <p>Legal transitions, and what triggers each (the object's one {@code transitionToLocked} is the
 * only writer, and keeps the last states for findings):
 *
 * <pre>
 * INITIALIZED ──commit──────────────────────────────▶ CREATED
 * INITIALIZED ──failed create (callbacks cleared)───▶ DESTROYED
 * CREATED ──WdfObjectDelete / framework delete──────▶ DELETED_DISPOSING
 * CREATED ──WdfObjectDelete above PASSIVE_LEVEL of a
 *           subtree needing passive dispose (O10)───▶ DEFERRED_DELETING
 * DEFERRED_DELETING ──the dispose list's worker─────▶ DELETED_DISPOSING
 * CREATED ──an ancestor's teardown reaches it───────▶ DISPOSING_EARLY
 * CREATED ──dereferenced to zero, never deleted─────▶ DESTROYED   (O13; 0x10D/0x7 if still in a tree)
 * DISPOSING_EARLY ──its cleanup callbacks returned──▶ DISPOSED
 * DISPOSED ──the ancestor's final "deleted" event───▶ DELETED_AND_DISPOSED
 * DELETED_DISPOSING ──subtree and own cleanup done──▶ DELETED_AND_DISPOSED
 * DELETED_AND_DISPOSED ──last reference released────▶ DESTROYED
 * DELETED_AND_DISPOSED ──last reference released above
 *           PASSIVE_LEVEL, passive-dispose type─────▶ DEFERRED_DESTROY
 * DEFERRED_DESTROY ──the dispose list's worker──────▶ DESTROYED
 * </pre>
 *
 * <p>Any transition not listed is an ntio bug and throws.
 */
public enum WdfObjectState {
  /** Allocated and being set up by its creating DDI; not yet in the tree, callbacks not armed. */
  INITIALIZED,
  /** Committed: in the tree under its parent, usable. */
  CREATED,
  /** An ancestor's teardown reached it: its subtree's and its own cleanup callbacks are running. */
  DISPOSING_EARLY,
  /** Cleaned up; waits for its ancestor's final event to drop its creation reference. */
  DISPOSED,
  /**
   * {@code DeferedDeleting}: WdfObjectDelete was called above PASSIVE_LEVEL and the object or a
   * descendant must be disposed at PASSIVE_LEVEL; the delete waits in the driver's dispose list
   * (O10). Already out of its parent's children.
   */
  DEFERRED_DELETING,
  /** Its own delete is running: children's cleanups, then its own. */
  DELETED_DISPOSING,
  /** Torn down, creation reference released; alive only while others hold references (O12). */
  DELETED_AND_DISPOSED,
  /**
   * {@code DeferedDestroy}: its last reference went above PASSIVE_LEVEL on an object whose destroy
   * runs at PASSIVE_LEVEL (D3); the destroy waits in the driver's dispose list.
   */
  DEFERRED_DESTROY,
  /** Destroy callbacks ran and its memory is freed; any call on the handle is 0x10D/0x5. */
  DESTROYED;

  boolean canBecome(WdfObjectState next) {
    return switch (this) {
      case INITIALIZED -> next == CREATED || next == DESTROYED;
      case CREATED -> next == DELETED_DISPOSING || next == DISPOSING_EARLY || next == DESTROYED
          || next == DEFERRED_DELETING;
      case DEFERRED_DELETING -> next == DELETED_DISPOSING;
      case DISPOSING_EARLY -> next == DISPOSED || next == DESTROYED;
      case DISPOSED -> next == DELETED_AND_DISPOSED || next == DESTROYED;
      case DELETED_DISPOSING -> next == DELETED_AND_DISPOSED;
      case DELETED_AND_DISPOSED -> next == DESTROYED || next == DEFERRED_DESTROY;
      case DEFERRED_DESTROY -> next == DESTROYED;
      case DESTROYED -> false;
    };
  }
}
