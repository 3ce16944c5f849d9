package ntio.framework;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.ArrayList;
import java.util.List;
import ntio.framework.WdfObjectAttributes.CleanupCallback;
import ntio.framework.WdfObjectAttributes.DestroyCallback;

/**
 * The chain of typed contexts of one framework object, each with its own cleanup and destroy
 * callbacks (O19): the primary one (from the creation attributes, possibly without a type) first,
 * then those {@code WdfObjectAllocateContext} added, in order. Models KMDF's {@code
 * FxContextHeader} list.
 *
 * <p>Guarded by the owning object's tree lock (see {@link FxTreeLock}): the {@code …Locked} methods
 * are called with it held; the two callback walks take it per context and call each callback with
 * it released, so a callback may call any DDI.
 */
final class FxContextChain {

  /** One context of the chain; its callbacks are taken (set to null) when they run. */
  private static final class Context {
    final ContextType<?> type;
    final Object instance;
    final FxPool.Allocation allocation;
    CleanupCallback cleanup;
    DestroyCallback destroy;

    Context(ContextType<?> type, Object instance, FxPool.Allocation allocation, CleanupCallback cleanup,
        DestroyCallback destroy) {
      this.type = type;
      this.instance = instance;
      this.allocation = allocation;
      this.cleanup = cleanup;
      this.destroy = destroy;
    }
  }

  private final FxTreeLock treeLock;

  @GuardedBy("treeLock")
  private final List<Context> contexts = new ArrayList<>();

  /**
   * A chain holding the primary context of {@code attributes}: a new instance of its context type,
   * or none, with its callbacks; it lives in the object's own allocation.
   */
  FxContextChain(FxTreeLock treeLock, WdfObjectAttributes attributes) {
    this.treeLock = treeLock;
    ContextType<?> contextType = attributes == null ? null : attributes.contextType();
    Object primary = contextType == null ? null : contextType.newInstance();
    synchronized (treeLock) {
      contexts.add(new Context(contextType, primary, null,
          attributes == null ? null : attributes.cleanupCallback(),
          attributes == null ? null : attributes.destroyCallback()));
    }
  }

  /** The context of {@code contextType}, or null. */
  @SuppressWarnings("GuardedBy") // the owner's tree lock; see FxTreeLock
  Object findLocked(ContextType<?> contextType) {
    assert Thread.holdsLock(treeLock) : "tree lock not held";
    for (Context context : contexts) {
      if (context.type == contextType) {
        return context.instance;
      }
    }
    return null;
  }

  /** Appends a context allocated in {@code allocation}, with the callbacks of {@code attributes}. */
  @SuppressWarnings("GuardedBy") // see FxTreeLock
  void addLocked(ContextType<?> contextType, Object instance, FxPool.Allocation allocation,
      WdfObjectAttributes attributes) {
    assert Thread.holdsLock(treeLock) : "tree lock not held";
    contexts.add(new Context(contextType, instance, allocation, attributes.cleanupCallback(),
        attributes.destroyCallback()));
  }

  /** Clears every callback: the driver never hears of an object whose creation failed (O6). */
  @SuppressWarnings("GuardedBy") // see FxTreeLock
  void clearCallbacksLocked() {
    assert Thread.holdsLock(treeLock) : "tree lock not held";
    for (Context context : contexts) {
      context.cleanup = null;
      context.destroy = null;
    }
  }

  /** Adds the allocations of the added contexts to {@code free}. */
  @SuppressWarnings("GuardedBy") // see FxTreeLock
  void collectAllocationsLocked(List<FxPool.Allocation> free) {
    assert Thread.holdsLock(treeLock) : "tree lock not held";
    for (Context context : contexts) {
      if (context.allocation != null) {
        free.add(context.allocation);
      }
    }
  }

  /** Runs each context's cleanup callback not run yet, in chain order, for {@code owner}. */
  void runCleanupCallbacks(WdfObject owner) {
    int count;
    synchronized (treeLock) {
      count = contexts.size();
    }
    for (int i = 0; i < count; i++) {
      CleanupCallback callback;
      synchronized (treeLock) {
        Context context = contexts.get(i);
        callback = context.cleanup;
        context.cleanup = null;
      }
      if (callback != null) {
        callback.cleanup(owner);
      }
    }
  }

  /**
   * Runs, context by context in chain order, the cleanup callback if it has not run yet (an object
   * destroyed without a dispose) and then the destroy callback, for {@code owner}.
   */
  void runDestroyCallbacks(WdfObject owner) {
    int count;
    synchronized (treeLock) {
      count = contexts.size();
    }
    for (int i = 0; i < count; i++) {
      CleanupCallback cleanup;
      DestroyCallback destroy;
      synchronized (treeLock) {
        Context context = contexts.get(i);
        cleanup = context.cleanup;
        destroy = context.destroy;
        context.cleanup = null;
        context.destroy = null;
      }
      if (cleanup != null) {
        cleanup.cleanup(owner);
      }
      if (destroy != null) {
        destroy.destroy(owner);
      }
    }
  }
}
