package ntio.kernel.pnp;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import ntio.ddk.DeviceObject;
import ntio.ddk.NtStatus;

/**
 * One devnode: a device the PnP manager knows, its PDO, where it is in its life ({@link
 * DeviceNodeState}), its problem and the status that caused it, and what its instance key names
 * (hardware IDs, service, filters). Models NT's {@code DEVICE_NODE} (partial).
 *
 * <p>Written only on the PnP worker; read by snapshots from any thread. Every field is guarded by
 * the node's own monitor, held only around the field access, never while driver code runs.
 */
final class DeviceNode {

  private final DeviceNode parent;
  private final List<DeviceNode> children = new ArrayList<>();
  private final DeviceObject pdo;
  private String instancePath;
  private DeviceNodeState state = DeviceNodeState.DeviceNodeUninitialized;
  private int problem;
  private NtStatus problemStatus = NtStatus.STATUS_SUCCESS;
  private List<String> hardwareIds = List.of();
  private String service = "";
  private List<String> lowerFilters = List.of();
  private List<String> upperFilters = List.of();
  private boolean disabled;
  /** {@code CM_DEVCAP_RAWDEVICEOK}: the PDO said it may start with no function driver. */
  private boolean rawDeviceOk;
  /** Set when its bus driver stopped reporting the PDO, or its instance key was deleted. */
  private boolean missing;
  /** The role of each device AddDevice put on the PDO: LowerFilter, FDO, UpperFilter. */
  private final Map<DeviceObject, String> roles = new IdentityHashMap<>();

  DeviceNode(DeviceNode parent, DeviceObject pdo, String instancePath) {
    this.parent = parent;
    this.pdo = pdo;
    this.instancePath = instancePath;
  }

  DeviceNode parent() {
    return parent;
  }

  /** The PDO; referenced by the devnode until it is deleted. */
  DeviceObject pdo() {
    return pdo;
  }

  synchronized String instancePath() {
    return instancePath;
  }

  synchronized void setInstancePath(String path) {
    instancePath = path;
  }

  synchronized DeviceNodeState state() {
    return state;
  }

  /** A transition of {@link DeviceNodeState}: the only writer, on the PnP worker. */
  synchronized void moveTo(DeviceNodeState next) {
    if (!state.canMoveTo(next)) {
      throw new IllegalStateException(instancePath + ": no transition " + state + " -> " + next);
    }
    state = next;
  }

  synchronized int problem() {
    return problem;
  }

  synchronized NtStatus problemStatus() {
    return problemStatus;
  }

  /** Sets the problem and the status that caused it; {@link ProblemCodes#NONE} clears it. */
  synchronized void setProblem(int code, NtStatus status) {
    problem = code;
    problemStatus = code == ProblemCodes.NONE ? NtStatus.STATUS_SUCCESS : status;
  }

  synchronized List<DeviceNode> children() {
    return List.copyOf(children);
  }

  synchronized void addChild(DeviceNode child) {
    children.add(child);
  }

  synchronized void removeChild(DeviceNode child) {
    children.remove(child);
  }

  synchronized void configure(List<String> hardwareIds, String service, List<String> lowerFilters,
      List<String> upperFilters, boolean disabled) {
    this.hardwareIds = List.copyOf(hardwareIds);
    this.service = service;
    this.lowerFilters = List.copyOf(lowerFilters);
    this.upperFilters = List.copyOf(upperFilters);
    this.disabled = disabled;
  }

  synchronized List<String> hardwareIds() {
    return hardwareIds;
  }

  synchronized String service() {
    return service;
  }

  synchronized List<String> lowerFilters() {
    return lowerFilters;
  }

  synchronized List<String> upperFilters() {
    return upperFilters;
  }

  synchronized boolean disabled() {
    return disabled;
  }

  synchronized void setDisabled(boolean value) {
    disabled = value;
  }

  synchronized boolean rawDeviceOk() {
    return rawDeviceOk;
  }

  synchronized void setRawDeviceOk(boolean value) {
    rawDeviceOk = value;
  }

  synchronized boolean missing() {
    return missing;
  }

  synchronized void setMissing() {
    missing = true;
  }

  synchronized void setRole(DeviceObject device, String role) {
    roles.put(device, role);
  }

  synchronized String role(DeviceObject device) {
    return device == pdo ? "PDO" : roles.getOrDefault(device, "Filter");
  }

  synchronized void clearRoles() {
    roles.clear();
  }

  @Override
  public String toString() {
    return instancePath();
  }
}
