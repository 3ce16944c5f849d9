package ntio.kernel.pnp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import ntio.ddk.DeviceObject;
import ntio.ddk.DriverObject;
import ntio.ddk.NtStatus;
import ntio.ddk.PnpMinorFunctions;
import ntio.kernel.io.PnpPort;

/**
 * Bringing a devnode up (B41): every driver of its stack loaded (or reused), then each one's
 * AddDevice called, in NT's order — lower filters (the device's, then its class's), the function
 * driver, upper filters (the device's, then its class's) — each attaching its device on top; then
 * IRP_MN_START_DEVICE down the stack. Models ReactOS's {@code PiCallDriverAddDevice}, {@code
 * PiAttachFilterDriversCallback} and {@code PiStartDeviceFinal} (devaction.c), partial: no
 * resources to assign, no power IRPs.
 *
 * <p>Every failure leaves the devnode a problem code and the status that caused it, and nothing
 * half-built: the stack AddDevice built so far gets IRP_MN_REMOVE_DEVICE (its drivers detach and
 * delete their devices, as on any removal), and a driver left with no device is unloaded through
 * the PnP manager's unload ({@link PnpPort#unloadUnusedDriver}). Runs on the PnP worker only.
 */
final class DeviceBringUp {

  /** How long a bring-up waits for a previous instance of a driver to finish unloading. */
  static final Duration PRIOR_UNLOAD_WAIT = Duration.ofSeconds(10);

  private final PnpPort port;
  private final PnpRegistry registry;

  DeviceBringUp(PnpPort port, PnpRegistry registry) {
    this.port = port;
    this.registry = registry;
  }

  /** A driver to load for a devnode, and its role in the stack. */
  private record Layer(String service, String role) {}

  /**
   * Brings {@code node} (Initialized) up to Started, or leaves it Initialized (a driver could not
   * be loaded or added) or Removed (START failed) with a problem. Returns whether it started.
   */
  boolean bringUp(DeviceNode node) {
    if (node.disabled()) {
      node.setProblem(ProblemCodes.CM_PROB_DISABLED, NtStatus.STATUS_PLUGPLAY_NO_DEVICE);
      return false;
    }
    if (node.service().isEmpty() && node.rawDeviceOk()) {
      return startRaw(node);
    }
    if (node.service().isEmpty()) {
      if (node.problem() == ProblemCodes.NONE) {
        node.setProblem(ProblemCodes.CM_PROB_NOT_CONFIGURED, NtStatus.STATUS_OBJECT_NAME_NOT_FOUND);
      }
      return false;
    }
    node.setProblem(ProblemCodes.NONE, NtStatus.STATUS_SUCCESS);
    node.clearRoles();
    List<Layer> layers = new ArrayList<>();
    node.lowerFilters().forEach(s -> layers.add(new Layer(s, "LowerFilter")));
    layers.add(new Layer(node.service(), "FDO"));
    node.upperFilters().forEach(s -> layers.add(new Layer(s, "UpperFilter")));

    Set<DriverObject> drivers = new LinkedHashSet<>();
    try {
      // Every driver is loaded (or found) before any AddDevice runs, as PiCallDriverAddDevice does:
      // a load failure calls no AddDevice at all.
      List<DriverObject> loaded = new ArrayList<>();
      for (Layer layer : layers) {
        DriverObject driver = load(node, layer);
        if (driver == null) {
          return false;
        }
        if (!drivers.add(driver)) {
          port.dereference(driver); // the same driver twice in one stack: one reference is enough
        }
        loaded.add(driver);
      }
      for (int i = 0; i < layers.size(); i++) {
        if (!addDevice(node, layers.get(i), loaded.get(i))) {
          tearDownPartialStack(node);
          return false;
        }
      }
      PnpPort.IrpResult started = sendStart(node);
      if (!started.status().isSuccess()) {
        node.setProblem(ProblemCodes.CM_PROB_FAILED_START, started.status());
        List<DeviceObject> stack = port.stack(node.pdo());
        port.beginRemoval(stack, true);
        port.send(node.pdo(), PnpMinorFunctions.IRP_MN_REMOVE_DEVICE, 0);
        port.removalProcessed(port.stack(node.pdo()));
        port.cancelRemoval(List.of(node.pdo()));
        node.moveTo(DeviceNodeState.DeviceNodeRemoved);
        return false;
      }
      node.moveTo(DeviceNodeState.DeviceNodeStarted);
      registry.set(controlKey(node), ntio.ddk.RegValue.string("ActiveService", node.service()), true);
      new ServiceEnum(registry).add(node.service(), node.instancePath());
      return true;
    } finally {
      // Whatever happened, a driver loaded for this stack that has no device (a filter whose
      // AddDevice failed, a driver of a torn-down stack) unloads now (B41).
      unloadUnused(drivers);
      drivers.forEach(port::dereference);
    }
  }

  /**
   * A device with no function driver whose PDO set RawDeviceOK (ReactOS's {@code
   * PiCallDriverAddDevice}, devaction.c: "a driver is not found, but a device allows raw access"):
   * no AddDevice, IRP_MN_START_DEVICE to the PDO alone. Its problem (no driver installed) is
   * cleared once it started; a failed start leaves CM_PROB_FAILED_START as for any stack.
   */
  private boolean startRaw(DeviceNode node) {
    node.clearRoles();
    PnpPort.IrpResult started = sendStart(node);
    if (!started.status().isSuccess()) {
      node.setProblem(ProblemCodes.CM_PROB_FAILED_START, started.status());
      node.moveTo(DeviceNodeState.DeviceNodeRemoved);
      return false;
    }
    node.setProblem(ProblemCodes.NONE, NtStatus.STATUS_SUCCESS);
    node.moveTo(DeviceNodeState.DeviceNodeStarted);
    return true;
  }

  /** DriversAdded, ResourcesAssigned (none to arbitrate), StartPending, then START_DEVICE. */
  private PnpPort.IrpResult sendStart(DeviceNode node) {
    node.moveTo(DeviceNodeState.DeviceNodeDriversAdded);
    node.moveTo(DeviceNodeState.DeviceNodeResourcesAssigned);
    node.moveTo(DeviceNodeState.DeviceNodeStartPending);
    return port.send(node.pdo(), PnpMinorFunctions.IRP_MN_START_DEVICE, 0);
  }

  /** The volatile {@code Control} subkey of the devnode's instance key. */
  static String controlKey(DeviceNode node) {
    return PnpRegistry.ENUM + "\\" + node.instancePath() + "\\Control";
  }

  /** Loads (or finds) one layer's driver, referenced; null, with the problem set, on failure. */
  private DriverObject load(DeviceNode node, Layer layer) {
    String serviceKey = PnpRegistry.SERVICES + "\\" + layer.service();
    int start = registry.dword(serviceKey, "Start", -1);
    if (start >= 4) {
      node.setProblem(ProblemCodes.CM_PROB_DISABLED_SERVICE, NtStatus.STATUS_PLUGPLAY_NO_DEVICE);
      return null;
    }
    PnpPort.DriverLoad load = port.loadDriver(layer.service(), PRIOR_UNLOAD_WAIT);
    if (!load.status().isSuccess()) {
      node.setProblem(loadProblem(load), load.status());
      return null;
    }
    return load.driver();
  }

  /**
   * Calls one layer's AddDevice and marks the devices it put on the stack with the layer's role.
   * Only the function driver's failure fails the bring-up (CM_PROB_FAILED_ADD); a filter's is
   * ignored, as {@code PiCallDriverAddDevice} ignores it ("for filter drivers we don't care about
   * the AddDevice result").
   */
  private boolean addDevice(DeviceNode node, Layer layer, DriverObject driver) {
    List<DeviceObject> before = port.stack(node.pdo());
    NtStatus added = port.addDevice(driver, node.pdo());
    for (DeviceObject device : port.stack(node.pdo())) {
      if (!before.contains(device)) {
        node.setRole(device, layer.role());
      }
    }
    if (!added.isSuccess() && layer.role().equals("FDO")) {
      node.setProblem(ProblemCodes.CM_PROB_FAILED_ADD, added);
      return false;
    }
    return true;
  }

  /** B41's load-failure mapping. */
  static int loadProblem(PnpPort.DriverLoad load) {
    NtStatus status = load.status();
    if (load.priorUnload()) {
      return ProblemCodes.CM_PROB_DRIVER_FAILED_PRIOR_UNLOAD;
    }
    if (load.driverEntryFailed() || status.equals(NtStatus.STATUS_FAILED_DRIVER_ENTRY)) {
      return ProblemCodes.CM_PROB_FAILED_DRIVER_ENTRY;
    }
    if (status.equals(NtStatus.STATUS_INSUFFICIENT_RESOURCES)) {
      return ProblemCodes.CM_PROB_OUT_OF_MEMORY;
    }
    if (status.equals(NtStatus.STATUS_ILL_FORMED_SERVICE_ENTRY)) {
      return ProblemCodes.CM_PROB_DRIVER_SERVICE_KEY_INVALID;
    }
    return ProblemCodes.CM_PROB_DRIVER_FAILED_LOAD;
  }

  /**
   * After a failed AddDevice or load: the devices AddDevice attached so far get
   * IRP_MN_REMOVE_DEVICE (the PDO's bus driver keeps its PDO: it was not reported missing), and
   * (the caller unloads every driver loaded for the stack that is left with no device).
   */
  private void tearDownPartialStack(DeviceNode node) {
    List<DeviceObject> stack = port.stack(node.pdo());
    if (stack.size() > 1) {
      port.beginRemoval(stack, true);
      port.send(node.pdo(), PnpMinorFunctions.IRP_MN_REMOVE_DEVICE, 0);
      port.cancelRemoval(List.of(node.pdo()));
    }
    node.clearRoles();
  }

  /** Unloads each PnP driver of {@code drivers} that has no device left, on a System worker. */
  void unloadUnused(Set<DriverObject> drivers) {
    unloadUnused(drivers, false);
  }

  /**
   * Unloads each PnP driver of {@code drivers} that has no device left; with {@code inline}, on
   * this thread, so that every such unload has finished when this returns.
   */
  void unloadUnused(Set<DriverObject> drivers, boolean inline) {
    for (DriverObject driver : drivers) {
      if (!port.hasDevices(driver)) {
        port.unloadUnusedDriver(driver, inline);
      }
    }
  }
}
