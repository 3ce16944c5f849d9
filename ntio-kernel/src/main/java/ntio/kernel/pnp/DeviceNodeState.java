package ntio.kernel.pnp;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Where a devnode is in its life. Models NT's {@code PNP_DEVNODE_STATE} (partial: the states the
 * PnP manager here passes through; no stop/rebalance, no resources to arbitrate), named as NT
 * names them, so {@code !devnode} and {@code devcon status} read the same.
 *
 * <p>Legal transitions; {@link DeviceNode#moveTo} is the only writer and runs on the PnP worker:
 *
 * <pre>
 * Uninitialized ──IDs queried, instance key read or made (PiInitializeDevNode)──▶ Initialized
 * Initialized ──every driver's AddDevice succeeded (B41)──────────────────────▶ DriversAdded
 *   (or there is no function driver and the PDO set RawDeviceOK: no AddDevice, a raw start)
 *   (a disabled device, a load or AddDevice failure: stays Initialized, with a problem)
 * DriversAdded ──resources assigned (there are none to arbitrate)────────────▶ ResourcesAssigned
 * ResourcesAssigned ──IRP_MN_START_DEVICE sent───────────────────────────────▶ StartPending
 * StartPending ──START succeeded─────────────────────────────────────────────▶ Started
 * StartPending ──START failed: REMOVE_DEVICE sent (CM_PROB_FAILED_START)────▶ Removed
 * Started ──IRP_MN_QUERY_REMOVE_DEVICE succeeded─────────────────────────────▶ QueryRemoved
 * QueryRemoved ──vetoed elsewhere in the subtree: CANCEL_REMOVE──────────────▶ Started
 * QueryRemoved ──REMOVE_DEVICE, the PDO stays (disable, restart, remove of a
 *                child its bus still reports)────────────────────────────────▶ Removed
 * Started ──its bus stopped reporting it: SURPRISE_REMOVAL, a handle open────▶ RemovePendingCloses
 * RemovePendingCloses ──the last handle closed: REMOVE_DEVICE────────────────▶ Deleted
 * Removed, Initialized ──enable, restart─────────────────────────────────────▶ Initialized
 * any but Deleted ──REMOVE_DEVICE with the PDO reported missing or the
 *                   device uninstalled: out of the tree─────────────────────▶ Deleted
 * </pre>
 *
 * <p>Any other transition is an ntio bug and throws.
 */
public enum DeviceNodeState {
  DeviceNodeUninitialized,
  DeviceNodeInitialized,
  DeviceNodeDriversAdded,
  DeviceNodeResourcesAssigned,
  DeviceNodeStartPending,
  DeviceNodeStarted,
  DeviceNodeQueryRemoved,
  DeviceNodeRemovePendingCloses,
  DeviceNodeRemoved,
  DeviceNodeDeleted;

  private static final Map<DeviceNodeState, Set<DeviceNodeState>> NEXT = Map.of(
      DeviceNodeUninitialized, EnumSet.of(DeviceNodeInitialized, DeviceNodeDeleted),
      DeviceNodeInitialized, EnumSet.of(DeviceNodeInitialized, DeviceNodeDriversAdded, DeviceNodeRemoved,
          DeviceNodeDeleted),
      DeviceNodeDriversAdded, EnumSet.of(DeviceNodeResourcesAssigned, DeviceNodeRemoved, DeviceNodeDeleted),
      DeviceNodeResourcesAssigned, EnumSet.of(DeviceNodeStartPending, DeviceNodeRemoved, DeviceNodeDeleted),
      DeviceNodeStartPending, EnumSet.of(DeviceNodeStarted, DeviceNodeRemoved, DeviceNodeDeleted),
      DeviceNodeStarted, EnumSet.of(DeviceNodeQueryRemoved, DeviceNodeRemovePendingCloses, DeviceNodeDeleted),
      DeviceNodeQueryRemoved, EnumSet.of(DeviceNodeStarted, DeviceNodeRemoved, DeviceNodeDeleted),
      DeviceNodeRemovePendingCloses, EnumSet.of(DeviceNodeDeleted),
      DeviceNodeRemoved, EnumSet.of(DeviceNodeInitialized, DeviceNodeDeleted),
      DeviceNodeDeleted, EnumSet.noneOf(DeviceNodeState.class));

  /** Whether the diagram above has an arrow from this state to {@code next}. */
  boolean canMoveTo(DeviceNodeState next) {
    return NEXT.get(this).contains(next);
  }

  /** Whether a stack is built on the PDO (AddDevice ran) and not yet removed. */
  boolean hasStack() {
    return this == DeviceNodeDriversAdded || this == DeviceNodeResourcesAssigned
        || this == DeviceNodeStartPending || this == DeviceNodeStarted || this == DeviceNodeQueryRemoved
        || this == DeviceNodeRemovePendingCloses;
  }
}
