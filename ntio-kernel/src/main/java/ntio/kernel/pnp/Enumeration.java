package ntio.kernel.pnp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import ntio.ddk.BusQueryIdType;
import ntio.ddk.DeviceObject;
import ntio.ddk.DeviceRelationType;
import ntio.ddk.DeviceRelations;
import ntio.ddk.NtStatus;
import ntio.ddk.PnpMinorFunctions;
import ntio.ddk.RegValue;
import ntio.kernel.io.PnpPort;

/**
 * Enumeration of a started devnode's children: IRP_MN_QUERY_DEVICE_RELATIONS(BusRelations) to its
 * stack; a PDO not seen before becomes a devnode (its IDs from IRP_MN_QUERY_ID, its instance key
 * {@code Enum\<device ID>\<instance ID>}, its driver from the key or, for a bus-enumerated device
 * seen the first time, from {@code DriverDatabase\DeviceIds\<hardware id>}) and is brought up; a
 * child no longer reported is surprise-removed. Models ReactOS's {@code PiEnumerateDevice} and
 * {@code PiInitializeDevNode} (devaction.c), partial: no compatible-ID ranking.
 *
 * <p>Runs on the PnP worker only.
 */
final class Enumeration {

  private final PnpPort port;
  private final PnpRegistry registry;
  private final DeviceTree tree;
  private final DeviceBringUp bringUp;
  private final DeviceRemoval removal;

  Enumeration(PnpPort port, PnpRegistry registry, DeviceTree tree, DeviceBringUp bringUp,
      DeviceRemoval removal) {
    this.port = port;
    this.registry = registry;
    this.tree = tree;
    this.bringUp = bringUp;
    this.removal = removal;
  }

  /** Enumerates {@code parent}'s children, bringing new ones up and their children in turn. */
  void enumerate(DeviceNode parent) {
    if (parent.state() != DeviceNodeState.DeviceNodeStarted) {
      return;
    }
    PnpPort.IrpResult result = port.send(parent.pdo(), PnpMinorFunctions.IRP_MN_QUERY_DEVICE_RELATIONS,
        DeviceRelationType.BUS_RELATIONS);
    if (!result.status().isSuccess() || !(result.information() instanceof DeviceRelations relations)) {
      // Nobody answered (STATUS_NOT_SUPPORTED: not a bus) or the bus failed: the children stay.
      return;
    }
    Set<DeviceObject> reported = Collections.newSetFromMap(new IdentityHashMap<>());
    List<DeviceNode> added = new ArrayList<>();
    for (DeviceObject pdo : relations.objects()) {
      if (!reported.add(pdo) || tree.byPdo(pdo).isPresent()) {
        // The bus referenced it for us; the devnode holds its own reference already.
        port.dereference(pdo);
        continue;
      }
      added.add(initialize(parent, pdo));
    }
    for (DeviceNode child : parent.children()) {
      if (!reported.contains(child.pdo()) && child.state() != DeviceNodeState.DeviceNodeDeleted) {
        removal.surpriseRemove(child);
      }
    }
    for (DeviceNode child : added) {
      if (bringUp.bringUp(child)) {
        enumerate(child);
      }
    }
  }

  /**
   * One new child {@code pdo} (referenced for the devnode) of {@code parent}, known without a
   * relations query: made a devnode and brought up, and its children in turn. A PDO the tree
   * knows already is left as it is.
   */
  void adopt(DeviceNode parent, DeviceObject pdo) {
    if (tree.byPdo(pdo).isPresent()) {
      port.dereference(pdo);
      return;
    }
    DeviceNode child = initialize(parent, pdo);
    if (bringUp.bringUp(child)) {
      enumerate(child);
    }
  }

  /** A new devnode for {@code pdo} (whose reference it keeps): IDs, instance key, drivers. */
  private DeviceNode initialize(DeviceNode parent, DeviceObject pdo) {
    String deviceId = queryId(pdo, BusQueryIdType.BUS_QUERY_DEVICE_ID);
    String instanceId = queryId(pdo, BusQueryIdType.BUS_QUERY_INSTANCE_ID);
    List<String> hardwareIds = split(queryId(pdo, BusQueryIdType.BUS_QUERY_HARDWARE_IDS));
    String path = deviceId.isEmpty() ? "" : deviceId + "\\" + (instanceId.isEmpty() ? "0" : instanceId);
    boolean valid = !path.isEmpty() && tree.find(path).isEmpty();
    if (!valid) {
      // No device ID, or one another devnode has: NT bug-checks (PNP_DETECTED_FATAL_ERROR); here
      // the devnode gets a unique name and no driver.
      path = (deviceId.isEmpty() ? "UNKNOWN" : deviceId) + "\\INVALID-" + System.identityHashCode(pdo);
    }
    DeviceNode node = new DeviceNode(parent, pdo, path);
    tree.add(node);
    parent.addChild(node);
    if (valid) {
      configure(node, parent == tree.root(), hardwareIds);
    } else {
      node.configure(hardwareIds, "", List.of(), List.of(), false);
      node.setProblem(ProblemCodes.CM_PROB_FAILED_INSTALL, NtStatus.STATUS_OBJECT_NAME_COLLISION);
    }
    node.moveTo(DeviceNodeState.DeviceNodeInitialized);
    return node;
  }

  /**
   * Reads (and for a bus-enumerated device seen the first time, writes) the instance key: the
   * service and filters, the class's filters, and whether the device is disabled.
   */
  void configure(DeviceNode node, boolean rootEnumerated, List<String> reportedIds) {
    String key = PnpRegistry.ENUM + "\\" + node.instancePath();
    List<String> hardwareIds = registry.multi(key, "HardwareID");
    if (hardwareIds.isEmpty() && !reportedIds.isEmpty()) {
      hardwareIds = reportedIds;
      registry.set(key, RegValue.multiString("HardwareID", hardwareIds), false);
    }
    String service = registry.string(key, "Service");
    if (service.isEmpty() && !rootEnumerated) {
      service = install(key, hardwareIds);
    }
    String classGuid = registry.string(key, "ClassGUID");
    List<String> lower = new ArrayList<>(registry.multi(key, "LowerFilters"));
    List<String> upper = new ArrayList<>(registry.multi(key, "UpperFilters"));
    if (!classGuid.isEmpty()) {
      lower.addAll(registry.multi(PnpRegistry.CLASS + "\\" + classGuid, "LowerFilters"));
      upper.addAll(registry.multi(PnpRegistry.CLASS + "\\" + classGuid, "UpperFilters"));
    }
    boolean disabled = (registry.dword(key, "ConfigFlags", 0) & PnpRegistry.CONFIGFLAG_DISABLED) != 0;
    node.configure(hardwareIds, service, lower, upper, disabled);
    node.setProblem(ProblemCodes.NONE, NtStatus.STATUS_SUCCESS);
    if (service.isEmpty()) {
      node.setProblem(rootEnumerated ? ProblemCodes.CM_PROB_NOT_CONFIGURED : ProblemCodes.CM_PROB_FAILED_INSTALL,
          NtStatus.STATUS_OBJECT_NAME_NOT_FOUND);
    }
  }

  /**
   * The stand-in for INF matching: the first hardware ID with a key under {@code
   * DriverDatabase\DeviceIds} gives the service, class and filters, written into the instance key
   * as an installer writes them. Empty when none matches (CM_PROB_FAILED_INSTALL).
   */
  private String install(String key, List<String> hardwareIds) {
    for (String id : hardwareIds) {
      String entry = PnpRegistry.DEVICE_IDS + "\\" + id;
      String service = registry.string(entry, "Service");
      if (service.isEmpty()) {
        continue;
      }
      registry.set(key, RegValue.string("Service", service), false);
      String classGuid = registry.string(entry, "ClassGUID");
      if (!classGuid.isEmpty()) {
        registry.set(key, RegValue.string("ClassGUID", classGuid), false);
      }
      for (String filters : List.of("LowerFilters", "UpperFilters")) {
        List<String> list = registry.multi(entry, filters);
        if (!list.isEmpty()) {
          registry.set(key, RegValue.multiString(filters, list), false);
        }
      }
      return service;
    }
    return "";
  }

  private String queryId(DeviceObject pdo, int type) {
    PnpPort.IrpResult result = port.send(pdo, PnpMinorFunctions.IRP_MN_QUERY_ID, type);
    return result.status().isSuccess() && result.information() instanceof String id ? id : "";
  }

  private static List<String> split(String multi) {
    return multi.isEmpty() ? List.of()
        : java.util.Arrays.stream(multi.split("\0")).filter(s -> !s.isEmpty()).toList();
  }
}
