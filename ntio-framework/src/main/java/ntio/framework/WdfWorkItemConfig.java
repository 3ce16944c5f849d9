package ntio.framework;

/**
 * What {@link Wdf#workItemCreate} is configured with. Models {@code WDF_WORKITEM_CONFIG} and
 * {@code WDF_WORKITEM_CONFIG_INIT} (full). A plain mutable value, read during the call; not
 * thread-safe.
 */
public final class WdfWorkItemConfig {

  /** {@code EVT_WDF_WORKITEM}: runs on a System worker thread at PASSIVE_LEVEL. */
  @FunctionalInterface
  public interface WorkItemCallback {
    /** The work item's work. */
    void run(WdfWorkItem workItem);
  }

  private final WorkItemCallback callback;
  private boolean automaticSerialization = true;

  private WdfWorkItemConfig(WorkItemCallback callback) {
    this.callback = callback;
  }

  /** Models {@code WDF_WORKITEM_CONFIG_INIT} (full). */
  public static WdfWorkItemConfig init(WorkItemCallback callback) {
    return new WdfWorkItemConfig(callback);
  }

  /** {@code EvtWorkItemFunc}. */
  public WorkItemCallback callback() {
    return callback;
  }

  /**
   * {@code AutomaticSerialization}, true as the INIT macro sets it: the callback runs under the
   * callback lock of the nearest queue or device above the item's parent when that object's scope
   * is Device or Queue. That lock must be a passive one: under a Dispatch-level object the item's
   * creation fails with {@code STATUS_WDF_INCOMPATIBLE_EXECUTION_LEVEL} ({@code
   * FxWorkItem::Initialize} asks {@code _GetEffectiveLock} for passive callbacks).
   */
  public boolean automaticSerialization() {
    return automaticSerialization;
  }

  /** Sets {@code AutomaticSerialization}. */
  public WdfWorkItemConfig automaticSerialization(boolean serialize) {
    this.automaticSerialization = serialize;
    return this;
  }
}
