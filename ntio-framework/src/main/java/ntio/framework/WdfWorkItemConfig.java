package ntio.framework;

/**
 * What {@link Wdf#workItemCreate} is configured with. Models {@code WDF_WORKITEM_CONFIG} and
 * {@code WDF_WORKITEM_CONFIG_INIT} (partial: no automatic serialization).
 */
public final class WdfWorkItemConfig {

  /** {@code EVT_WDF_WORKITEM}: runs on a System worker thread at PASSIVE_LEVEL. */
  @FunctionalInterface
  public interface WorkItemCallback {
    /** The work item's work. */
    void run(WdfWorkItem workItem);
  }

  private final WorkItemCallback callback;

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
}
