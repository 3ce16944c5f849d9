package ntio.framework;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.ArrayList;
import java.util.List;
import ntio.ddk.NtStatus;
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

  /** What {@link #allocate} did. */
  record ContextResult(NtStatus status, Object context) {}

  /**
   * Adds a context to {@code owner}, whose chain this is. Models {@code WdfObjectAllocateContext}
   * (O19).
   *
   * @return {@code STATUS_SUCCESS} with a new zero-filled context; {@code
   *     STATUS_OBJECT_NAME_EXISTS} with the existing one; {@code STATUS_DELETE_PENDING} once
   *     deletion started; {@code STATUS_INSUFFICIENT_RESOURCES} when the allocation failed
   */
  ContextResult allocate(WdfObject owner, WdfObjectAttributes attributes) {
    ContextType<?> contextType = attributes.contextType();
    synchronized (treeLock) {
      Object existing = findLocked(contextType);
      if (existing != null) {
        return new ContextResult(NtStatus.STATUS_OBJECT_NAME_EXISTS, existing);
      }
      if (owner.stateLocked() != WdfObjectState.CREATED) {
        return new ContextResult(NtStatus.STATUS_DELETE_PENDING, null);
      }
    }
    FxPool.Allocation memory = owner.globals.allocate(FxGlobals.CONTEXT_HEADER_SIZE,
        "context " + contextType.name() + " of " + owner);
    if (memory == null) {
      return new ContextResult(NtStatus.STATUS_INSUFFICIENT_RESOURCES, null);
    }
    Object instance = contextType.newInstance();
    Object raced;
    synchronized (treeLock) {
      raced = findLocked(contextType);
      if (raced == null && owner.stateLocked() == WdfObjectState.CREATED) {
        addLocked(contextType, instance, memory, attributes);
        return new ContextResult(NtStatus.STATUS_SUCCESS, instance);
      }
    }
    owner.globals.pool.free(memory);
    return raced != null
        ? new ContextResult(NtStatus.STATUS_OBJECT_NAME_EXISTS, raced)
        : new ContextResult(NtStatus.STATUS_DELETE_PENDING, null);
  }
}
