package ntio.framework;

/**
 * The attributes a creating DDI takes: parent, cleanup and destroy callbacks, context type,
 * execution level and synchronization scope. Models {@code WDF_OBJECT_ATTRIBUTES} and its
 * {@code WDF_OBJECT_ATTRIBUTES_INIT} / {@code WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE} macros
 * (partial: no {@code ContextSizeOverride}).
 *
 * <p>Like the C structure it is a plain mutable value the driver fills and hands over; the
 * framework reads it during the call and keeps nothing of it. Not thread-safe. {@link #size()}
 * starts at {@link #SIZE}, what {@code WDF_OBJECT_ATTRIBUTES_INIT} writes; a driver that sets
 * another value gets {@code STATUS_INFO_LENGTH_MISMATCH} (O5).
 */
public final class WdfObjectAttributes {

  /** {@code sizeof(WDF_OBJECT_ATTRIBUTES)} on x64. */
  public static final int SIZE = 0x38;

  /**
   * {@code EVT_WDF_OBJECT_CONTEXT_CLEANUP}: the object is being deleted — by the driver, by its
   * parent's teardown, or by the framework at unload or after a failed DriverEntry (O11). Runs at
   * PASSIVE_LEVEL, after the cleanups of every descendant (O9). A driver that took a reference on
   * the object drops it here.
   */
  @FunctionalInterface
  public interface CleanupCallback {
    /** Called once, with the object being cleaned up. */
    void cleanup(WdfObject object);
  }

  /**
   * {@code EVT_WDF_OBJECT_CONTEXT_DESTROY}: the object's reference count reached zero after its
   * cleanup; its memory goes when this returns. The callback may read the object's contexts but
   * must not call DDIs on it (O9, D3).
   */
  @FunctionalInterface
  public interface DestroyCallback {
    /** Called once, with the object being destroyed. */
    void destroy(WdfObject object);
  }

  /** {@code WDF_EXECUTION_LEVEL}. ntio runs everything at PASSIVE_LEVEL (see docs/framework.md). */
  public enum ExecutionLevel {
    /** {@code WdfExecutionLevelInheritFromParent} (the default). */
    INHERIT_FROM_PARENT,
    /** {@code WdfExecutionLevelPassive}. */
    PASSIVE,
    /** {@code WdfExecutionLevelDispatch}. */
    DISPATCH
  }

  /** {@code WDF_SYNCHRONIZATION_SCOPE}. */
  public enum SynchronizationScope {
    /** {@code WdfSynchronizationScopeInheritFromParent} (the default). */
    INHERIT_FROM_PARENT,
    /** {@code WdfSynchronizationScopeDevice}. */
    DEVICE,
    /** {@code WdfSynchronizationScopeQueue}. */
    QUEUE,
    /** {@code WdfSynchronizationScopeNone}. */
    NONE
  }

  private int size = SIZE;
  private WdfObject parentObject;
  private CleanupCallback cleanupCallback;
  private DestroyCallback destroyCallback;
  private ContextType<?> contextType;
  private ExecutionLevel executionLevel = ExecutionLevel.INHERIT_FROM_PARENT;
  private SynchronizationScope synchronizationScope = SynchronizationScope.INHERIT_FROM_PARENT;

  private WdfObjectAttributes() {}

  /** Empty attributes. Models {@code WDF_OBJECT_ATTRIBUTES_INIT} (full). */
  public static WdfObjectAttributes init() {
    return new WdfObjectAttributes();
  }

  /** Attributes with a context type. Models {@code WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE} (full). */
  public static WdfObjectAttributes withContext(ContextType<?> type) {
    return new WdfObjectAttributes().contextType(type);
  }

  /** {@code Size}. */
  public int size() {
    return size;
  }

  /** Sets {@code Size}; anything but {@link #SIZE} makes the attributes invalid. */
  public WdfObjectAttributes size(int size) {
    this.size = size;
    return this;
  }

  /** {@code ParentObject}, or null for the type's default (O2, O3). */
  public WdfObject parentObject() {
    return parentObject;
  }

  /** Sets {@code ParentObject}. */
  public WdfObjectAttributes parentObject(WdfObject parent) {
    this.parentObject = parent;
    return this;
  }

  /** {@code EvtCleanupCallback}, or null. */
  public CleanupCallback cleanupCallback() {
    return cleanupCallback;
  }

  /** Sets {@code EvtCleanupCallback}. */
  public WdfObjectAttributes cleanupCallback(CleanupCallback callback) {
    this.cleanupCallback = callback;
    return this;
  }

  /** {@code EvtDestroyCallback}, or null. */
  public DestroyCallback destroyCallback() {
    return destroyCallback;
  }

  /** Sets {@code EvtDestroyCallback}. */
  public WdfObjectAttributes destroyCallback(DestroyCallback callback) {
    this.destroyCallback = callback;
    return this;
  }

  /** {@code ContextTypeInfo}, or null for no context. */
  public ContextType<?> contextType() {
    return contextType;
  }

  /** Sets {@code ContextTypeInfo}. */
  public WdfObjectAttributes contextType(ContextType<?> type) {
    this.contextType = type;
    return this;
  }

  /** {@code ExecutionLevel}. */
  public ExecutionLevel executionLevel() {
    return executionLevel;
  }

  /** Sets {@code ExecutionLevel}; null is out of range ({@code STATUS_WDF_OBJECT_ATTRIBUTES_INVALID}). */
  public WdfObjectAttributes executionLevel(ExecutionLevel level) {
    this.executionLevel = level;
    return this;
  }

  /** {@code SynchronizationScope}. */
  public SynchronizationScope synchronizationScope() {
    return synchronizationScope;
  }

  /** Sets {@code SynchronizationScope}; null is out of range. */
  public WdfObjectAttributes synchronizationScope(SynchronizationScope scope) {
    this.synchronizationScope = scope;
    return this;
  }
}
