package ntio.host.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import ntio.api.DevNodeInfo;
import ntio.api.DeviceStackLayer;
import ntio.api.PnpVetoResult;

/**
 * How {@code ntio devcon} words a devnode: its status as {@code devcon status} says it ("Driver is
 * running.", "Device has a problem: 31."), one line of the text tree, its JSON fields, and a veto's
 * names ({@code PNP_VETO_TYPE}).
 */
final class DevnodeLines {

  /** The state NT names a started devnode by. */
  static final String STARTED = "DeviceNodeStarted";

  /** {@code PNP_VETO_TYPE}'s names (cfg.h), by number. */
  private static final List<String> VETO_TYPES = List.of("PNP_VetoTypeUnknown", "PNP_VetoLegacyDevice",
      "PNP_VetoPendingClose", "PNP_VetoWindowsApp", "PNP_VetoWindowsService", "PNP_VetoOutstandingOpen",
      "PNP_VetoDevice", "PNP_VetoDriver", "PNP_VetoIllegalDeviceRequest", "PNP_VetoInsufficientPower",
      "PNP_VetoNonDisableable", "PNP_VetoLegacyDriver", "PNP_VetoInsufficientRights", "PNP_VetoAlreadyRemoved");

  private DevnodeLines() {}

  /**
   * The sentence {@code devcon status} gives the devnode's condition. A disabled device is said to
   * be disabled, though its problem code is {@code CM_PROB_DISABLED}, as devcon says it.
   */
  static String condition(DevNodeInfo node) {
    if (node.disabled()) {
      return "Device is disabled.";
    }
    if (node.problem() != 0) {
      return "Device has a problem: " + node.problem() + " (" + node.problemName() + "), "
          + node.problemStatus() + ".";
    }
    if (node.state().equals(STARTED)) {
      return "Driver is running.";
    }
    return "Device is currently stopped.";
  }

  /** Whether the devnode has a problem code: what a picture of the tree marks. */
  static boolean hasProblem(DevNodeInfo node) {
    return node.problem() != 0;
  }

  /** The devnode as {@code devcon status} prints it: its path, then indented details. */
  static List<String> status(DevNodeInfo node) {
    List<String> lines = new ArrayList<>();
    lines.add(node.instancePath());
    if (!node.hardwareIds().isEmpty()) {
      lines.add("    Hardware IDs: " + String.join(", ", node.hardwareIds()));
    }
    if (!node.service().isEmpty()) {
      lines.add("    Service: " + node.service());
    }
    lines.add("    State: " + node.state());
    lines.add("    " + condition(node));
    return lines;
  }

  /** One line of the text tree: the path indented by depth, its state, and what is wrong if anything. */
  static String treeLine(DeviceTree.Node node) {
    DevNodeInfo info = node.info();
    StringBuilder line = new StringBuilder("  ".repeat(node.depth())).append(info.instancePath())
        .append("  ").append(info.state());
    if (info.disabled()) {
      line.append(", disabled");
    }
    if (info.problem() != 0) {
      line.append(", problem ").append(info.problem()).append(' ').append(info.problemName()).append(" (")
          .append(info.problemStatus()).append(')');
    }
    return line.toString();
  }

  /** One stack layer as the text of a picture's box: {@code FDO  \Driver\Toaster  \Device\00000003}. */
  static String layer(DeviceStackLayer layer) {
    String device = layer.deviceName().isEmpty() ? "(unnamed)" : layer.deviceName();
    return layer.role() + "  " + layer.driverName() + "  " + device;
  }

  /** The devnode's JSON fields, each list as it is and the stack top to bottom. */
  static Map<String, Object> json(DevNodeInfo node) {
    List<Map<String, Object>> stack = new ArrayList<>();
    for (DeviceStackLayer layer : node.stack()) {
      stack.add(Printer.fields("role", layer.role(), "device", layer.deviceName(), "driver", layer.driverName(),
          "service", layer.service()));
    }
    return Printer.fields(
        "instancePath", node.instancePath(),
        "parentPath", node.parentPath(),
        "state", node.state(),
        "started", node.state().equals(STARTED),
        "disabled", node.disabled(),
        "problem", node.problem(),
        "problemName", node.problemName(),
        "problemStatus", node.problemStatus().name(),
        "problemStatusCode", node.problemStatus().hex(),
        "hardwareIds", node.hardwareIds(),
        "service", node.service(),
        "lowerFilters", node.lowerFilters(),
        "upperFilters", node.upperFilters(),
        "stack", stack,
        "children", node.children());
  }

  /** A veto's type by name ({@code PNP_VetoOutstandingOpen}), or its number when it has none. */
  static String vetoType(int type) {
    return type >= 0 && type < VETO_TYPES.size() ? VETO_TYPES.get(type) : "PNP_VETO_TYPE " + type;
  }

  /** A removal's answer as JSON: its status and, when something vetoed, who and why. */
  static Map<String, Object> json(String instancePath, PnpVetoResult result) {
    return Printer.fields(
        "instancePath", instancePath,
        "status", result.status().name(),
        "statusCode", result.status().hex(),
        "vetoed", result.vetoed(),
        "vetoType", result.vetoed() ? vetoType(result.vetoType()) : null,
        "vetoName", result.vetoName(),
        "vetoReason", result.vetoReason());
  }
}
