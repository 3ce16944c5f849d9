package ntio.kernel.pnp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import ntio.api.DevNodeInfo;
import ntio.api.DeviceStackLayer;
import ntio.ddk.DeviceObject;
import ntio.kernel.io.PnpPort;

/**
 * The device tree: the root devnode {@code HTREE\ROOT\0} and every devnode below it, found by
 * instance path (compared without regard to case, as NT compares them). Models NT's {@code
 * IopRootDeviceNode} and its instance-path lookup ({@code IopGetDeviceObjectFromDeviceInstance}).
 *
 * <p>Changed only on the PnP worker; {@link #snapshot} may run on any thread.
 */
final class DeviceTree {

  static final String ROOT_PATH = "HTREE\\ROOT\\0";

  private final DeviceNode root;
  private final Map<String, DeviceNode> byPath = new HashMap<>();
  private final Map<DeviceObject, DeviceNode> byPdo = new java.util.IdentityHashMap<>();

  DeviceTree(DeviceObject rootPdo) {
    this.root = new DeviceNode(null, rootPdo, ROOT_PATH);
    add(root);
  }

  DeviceNode root() {
    return root;
  }

  synchronized void add(DeviceNode node) {
    byPath.put(key(node.instancePath()), node);
    byPdo.put(node.pdo(), node);
  }

  /** Files a node under its (new) instance path. */
  synchronized void rename(DeviceNode node, String oldPath) {
    byPath.remove(key(oldPath));
    byPath.put(key(node.instancePath()), node);
  }

  synchronized void remove(DeviceNode node) {
    byPath.remove(key(node.instancePath()), node);
    byPdo.remove(node.pdo(), node);
  }

  synchronized Optional<DeviceNode> find(String instancePath) {
    return Optional.ofNullable(byPath.get(key(instancePath)));
  }

  synchronized Optional<DeviceNode> byPdo(DeviceObject pdo) {
    return Optional.ofNullable(byPdo.get(pdo));
  }

  /** Every devnode below {@code node}, children before their parent (the removal order). */
  static List<DeviceNode> postOrder(DeviceNode node) {
    List<DeviceNode> order = new ArrayList<>();
    for (DeviceNode child : node.children()) {
      order.addAll(postOrder(child));
    }
    order.add(node);
    return order;
  }

  private static String key(String path) {
    return path.toUpperCase(Locale.ROOT);
  }

  /** Every devnode, the root first, each parent before its children. */
  List<DevNodeInfo> snapshot(PnpPort port) {
    List<DevNodeInfo> rows = new ArrayList<>();
    describe(root, port, rows);
    return rows;
  }

  private static void describe(DeviceNode node, PnpPort port, List<DevNodeInfo> rows) {
    DeviceNodeState state = node.state();
    List<DeviceStackLayer> stack = new ArrayList<>();
    if (state != DeviceNodeState.DeviceNodeDeleted) {
      for (DeviceObject device : port.stack(node.pdo())) {
        String service = device.driverObject().imagePath().isPresent()
            ? port.serviceName(device.driverObject()) : "";
        stack.add(new DeviceStackLayer(node.role(device), port.driverName(device.driverObject()), service,
            port.describe(device)));
      }
    }
    List<DeviceNode> children = node.children();
    rows.add(new DevNodeInfo(node.instancePath(), node.parent() == null ? "" : node.parent().instancePath(),
        state.name(), node.problem(), ProblemCodes.name(node.problem()), node.problemStatus(),
        node.disabled(), node.hardwareIds(), node.service(), node.lowerFilters(), node.upperFilters(), stack,
        children.stream().map(DeviceNode::instancePath).toList()));
    for (DeviceNode child : children) {
      describe(child, port, rows);
    }
  }
}
