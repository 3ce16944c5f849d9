package ntio.kernel.pnp;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import ntio.api.PnpVetoResult;
import ntio.ddk.DeviceObject;
import ntio.ddk.DriverObject;
import ntio.ddk.NtStatus;
import ntio.ddk.PnpMinorFunctions;
import ntio.kernel.io.PnpPort;

/**
 * Taking devnodes down, children first. Models ReactOS's {@code IopQueryRemoveDeviceRelations},
 * {@code IopCancelRemoveDevice}, {@code IopSendRemoveDevice} and {@code IopSendSurpriseRemoval}
 * (devaction.c), and Windows' {@code PNP_VETO_TYPE} reporting:
 *
 * <ul>
 *   <li>{@link #queryRemove}: each started stack of the subtree, deepest first, is checked for an
 *       open handle ({@code PNP_VetoOutstandingOpen}) and sent IRP_MN_QUERY_REMOVE_DEVICE, whose
 *       failure vetoes ({@code PNP_VetoDevice}); after a veto every stack already queried, the
 *       vetoing one included, gets IRP_MN_CANCEL_REMOVE_DEVICE.
 *   <li>{@link #remove}: IRP_MN_REMOVE_DEVICE to each stack, deepest first; the drivers detach and
 *       delete their devices (T39), a PnP driver whose last device goes unloads (B26), and a
 *       devnode whose PDO was reported missing leaves the tree (its bus driver deleted the PDO).
 *   <li>{@link #surpriseRemove}: a child its bus stopped reporting gets IRP_MN_SURPRISE_REMOVAL at
 *       once, and IRP_MN_REMOVE_DEVICE once no handle is open on its stack
 *       (DeviceNodeRemovePendingCloses until then).
 * </ul>
 *
 * <p>Runs on the PnP worker only.
 */
final class DeviceRemoval {

  private final PnpPort port;
  private final PnpRegistry registry;
  private final DeviceTree tree;
  private final DeviceBringUp bringUp;
  private final ServiceEnum serviceEnum;
  /** Devnodes surprise-removed whose REMOVE_DEVICE waits for handles to close. */
  private final Set<DeviceNode> pendingCloses = java.util.concurrent.ConcurrentHashMap.newKeySet();

  DeviceRemoval(PnpPort port, PnpRegistry registry, DeviceTree tree, DeviceBringUp bringUp) {
    this.serviceEnum = new ServiceEnum(registry);
    this.port = port;
    this.registry = registry;
    this.tree = tree;
    this.bringUp = bringUp;
  }

  /**
   * Query-removes {@code node}'s subtree. On success every started devnode of it is QueryRemoved
   * and its stack remove-pending; on a veto nothing changed and the result says who and why.
   */
  PnpVetoResult queryRemove(DeviceNode node) {
    List<DeviceNode> queried = new ArrayList<>();
    for (DeviceNode each : DeviceTree.postOrder(node)) {
      if (each.state() != DeviceNodeState.DeviceNodeStarted) {
        continue;
      }
      List<DeviceObject> stack = port.stack(each.pdo());
      DeviceObject open = port.beginRemoval(stack, false);
      if (open != null) {
        cancel(queried);
        String name = port.describe(open);
        return new PnpVetoResult(NtStatus.STATUS_PLUGPLAY_QUERY_VETOED, VetoTypes.PNP_VetoOutstandingOpen,
            each.instancePath(), "a handle to " + (name.isEmpty() ? "a device" : name) + " of "
                + each.instancePath() + " is open; close it and try again");
      }
      PnpPort.IrpResult result = port.send(each.pdo(), PnpMinorFunctions.IRP_MN_QUERY_REMOVE_DEVICE, 0);
      each.moveTo(DeviceNodeState.DeviceNodeQueryRemoved);
      queried.add(each);
      if (!result.status().isSuccess()) {
        cancel(queried);
        return new PnpVetoResult(NtStatus.STATUS_PLUGPLAY_QUERY_VETOED, VetoTypes.PNP_VetoDevice,
            each.instancePath(), "a driver of " + each.instancePath() + "'s stack ("
                + String.join(", ", drivers(stack)) + ") failed IRP_MN_QUERY_REMOVE_DEVICE with "
                + result.status() + "; the device stays started");
      }
    }
    return PnpVetoResult.of(NtStatus.STATUS_SUCCESS);
  }

  private List<String> drivers(List<DeviceObject> stack) {
    return stack.stream().map(d -> port.driverName(d.driverObject())).distinct().toList();
  }

  /** IRP_MN_CANCEL_REMOVE_DEVICE to every stack queried, in the reverse order of the queries. */
  private void cancel(List<DeviceNode> queried) {
    for (int i = queried.size() - 1; i >= 0; i--) {
      DeviceNode each = queried.get(i);
      port.send(each.pdo(), PnpMinorFunctions.IRP_MN_CANCEL_REMOVE_DEVICE, 0);
      port.cancelRemoval(port.stack(each.pdo()));
      each.moveTo(DeviceNodeState.DeviceNodeStarted);
    }
  }

  /**
   * IRP_MN_REMOVE_DEVICE to {@code node}'s subtree, children first. The children are reported
   * missing (their bus, this stack, goes away); {@code node} itself is when {@code missing}.
   */
  void remove(DeviceNode node, boolean missing) {
    if (missing) {
      node.setMissing();
    }
    for (DeviceNode each : DeviceTree.postOrder(node)) {
      if (each != node) {
        each.setMissing();
      }
      removeOne(each);
    }
  }

  /** One devnode's REMOVE_DEVICE (its children are gone already). */
  private void removeOne(DeviceNode node) {
    DeviceNodeState state = node.state();
    if (state == DeviceNodeState.DeviceNodeDeleted) {
      return;
    }
    List<DeviceObject> stack = port.stack(node.pdo());
    Set<DriverObject> drivers = new LinkedHashSet<>();
    for (DeviceObject device : stack) {
      if (device != node.pdo()) {
        drivers.add(device.driverObject());
      }
    }
    if (state.hasStack() || node.missing()) {
      port.beginRemoval(stack, true);
      port.send(node.pdo(), PnpMinorFunctions.IRP_MN_REMOVE_DEVICE, 0);
      port.removalProcessed(port.stack(node.pdo()));
    }
    registry.deleteTree(DeviceBringUp.controlKey(node));
    if (state != DeviceNodeState.DeviceNodeInitialized && state != DeviceNodeState.DeviceNodeRemoved) {
      serviceEnum.remove(node.service(), node.instancePath());
    }
    node.clearRoles();
    pendingCloses.remove(node);
    if (node.missing()) {
      node.moveTo(DeviceNodeState.DeviceNodeDeleted);
      DeviceNode parent = node.parent();
      if (parent != null) {
        parent.removeChild(node);
      }
      tree.remove(node);
      port.dereference(node.pdo());
    } else {
      port.cancelRemoval(List.of(node.pdo()));
      if (state != DeviceNodeState.DeviceNodeInitialized && state != DeviceNodeState.DeviceNodeRemoved) {
        node.moveTo(DeviceNodeState.DeviceNodeRemoved);
      }
    }
    bringUp.unloadUnused(drivers);
  }

  /**
   * A child its bus no longer reports: IRP_MN_SURPRISE_REMOVAL to each started stack of its
   * subtree (deepest first), then IRP_MN_REMOVE_DEVICE for each whose handles are all closed;
   * the others wait in DeviceNodeRemovePendingCloses for {@link #finishPendingCloses}.
   */
  void surpriseRemove(DeviceNode node) {
    for (DeviceNode each : DeviceTree.postOrder(node)) {
      each.setMissing();
      if (each.state() == DeviceNodeState.DeviceNodeStarted) {
        List<DeviceObject> stack = port.stack(each.pdo());
        port.beginRemoval(stack, true);
        port.send(each.pdo(), PnpMinorFunctions.IRP_MN_SURPRISE_REMOVAL, 0);
        each.moveTo(DeviceNodeState.DeviceNodeRemovePendingCloses);
        pendingCloses.add(each);
      }
    }
    finishPendingCloses();
    for (DeviceNode each : DeviceTree.postOrder(node)) {
      if (each.state() != DeviceNodeState.DeviceNodeRemovePendingCloses
          && each.state() != DeviceNodeState.DeviceNodeDeleted && each.children().isEmpty()) {
        removeOne(each);
      }
    }
  }

  /** REMOVE_DEVICE for every devnode pending closes whose stack is closed and children gone. */
  void finishPendingCloses() {
    boolean progress = true;
    while (progress) {
      progress = false;
      for (DeviceNode each : List.copyOf(pendingCloses)) {
        if (each.children().isEmpty() && !port.anyOpen(port.stack(each.pdo()))) {
          removeOne(each);
          progress = true;
        }
      }
    }
  }

  /** Whether any devnode waits for its handles to close. */
  boolean anyPendingCloses() {
    return !pendingCloses.isEmpty();
  }
}
