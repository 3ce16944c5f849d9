package ntio.kernel.pnp;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import ntio.api.DevNodeInfo;
import ntio.api.DeviceInstall;
import ntio.api.DeviceInstallResult;
import ntio.api.PnpVetoResult;
import ntio.ddk.DeviceObject;
import ntio.ddk.DeviceRelationType;
import ntio.ddk.NtStatus;
import ntio.ddk.RegValue;
import ntio.kernel.io.IoManager;
import ntio.kernel.io.PnpPort;
import ntio.kernel.objects.ObjectManager;
import ntio.kernel.process.ProcessManager;
import ntio.kernel.registry.Registry;

/**
 * The Plug and Play manager of one kernel: the device tree, the root bus, and the device actions
 * (enumerate, bring up, query-remove and remove, surprise removal, disable, enable, restart), all
 * run one at a time on the PnP worker. Models NT's {@code Pnp} component (partial: no resources,
 * no power management, no device interfaces, no stop/rebalance). See {@code docs/pnp.md}.
 *
 * <p>Callers on any thread: each public action is queued to the worker and waited for; {@link
 * #invalidateDeviceRelations} only queues. Never called with a kernel lock held, and drivers are
 * called with none.
 */
public final class PnpManager {

  private final IoManager io;
  private final PnpPort port;
  private final PnpRegistry registry;
  private final PnpWorker worker;
  private final RootBus rootBus;
  private final Duration shutdownTimeout;
  // Set once by start() on the worker; read by the worker, and (tree) by snapshots on any thread.
  private volatile DeviceTree tree;
  private volatile DeviceBringUp bringUp;
  private volatile DeviceRemoval removal;
  private volatile Enumeration enumeration;

  /** A PnP manager on {@code io}; {@link #start()} makes its root. */
  public PnpManager(IoManager io, Registry registry, ObjectManager objects, ProcessManager processes,
      Duration shutdownTimeout) {
    this.io = io;
    this.port = io.pnp();
    this.registry = new PnpRegistry(registry, objects, processes.systemThread());
    this.worker = new PnpWorker(processes.systemThreadFactory("pnp"));
    this.rootBus = new RootBus(this.registry);
    this.shutdownTimeout = shutdownTimeout;
  }

  /**
   * Creates the root bus ({@code \Driver\PnpManager}) and the started root devnode {@code
   * HTREE\ROOT\0}, and connects to the I/O manager. Enumerates nothing: {@link #enumerateRoot()}.
   */
  public NtStatus start() {
    return worker.call(() -> {
      NtStatus created = rootBus.create(io);
      if (!created.isSuccess()) {
        return created;
      }
      tree = new DeviceTree(rootBus.rootDevice());
      bringUp = new DeviceBringUp(port, registry);
      removal = new DeviceRemoval(port, registry, tree, bringUp);
      enumeration = new Enumeration(port, registry, tree, bringUp, removal);
      DeviceNode root = tree.root();
      for (DeviceNodeState state : List.of(DeviceNodeState.DeviceNodeInitialized,
          DeviceNodeState.DeviceNodeDriversAdded, DeviceNodeState.DeviceNodeResourcesAssigned,
          DeviceNodeState.DeviceNodeStartPending, DeviceNodeState.DeviceNodeStarted)) {
        root.moveTo(state);
      }
      port.connect(new PnpPort.Listener() {
        @Override
        public void invalidateDeviceRelations(DeviceObject pdo, int type) {
          PnpManager.this.invalidateDeviceRelations(pdo, type);
        }

        @Override
        public void unreferenced(DeviceObject device) {
          PnpManager.this.deviceUnreferenced();
        }
      });
      return NtStatus.STATUS_SUCCESS;
    }, NtStatus.STATUS_SYSTEM_SHUTDOWN);
  }

  /**
   * Enumerates the root bus (B42: after the start drivers' load): every instance under {@code
   * Enum\Root} becomes a devnode and is brought up, and its children in turn. Waits for it.
   */
  public void enumerateRoot() {
    worker.call(() -> {
      if (tree == null) {
        return null;
      }
      enumeration.enumerate(tree.root());
      return null;
    }, null);
  }

  /**
   * {@code IoInvalidateDeviceRelations}: queues a re-enumeration of the devnode whose PDO is
   * {@code pdo} (BusRelations); returns at once.
   */
  public void invalidateDeviceRelations(DeviceObject pdo, int type) {
    if (type != DeviceRelationType.BUS_RELATIONS) {
      return;
    }
    worker.post(() -> {
      if (tree != null) {
        tree.byPdo(pdo).ifPresent(enumeration::enumerate);
      }
    });
  }

  /** The last handle of a device closed: removals pending closes may finish. */
  private void deviceUnreferenced() {
    DeviceRemoval current = removal;
    if (current != null && current.anyPendingCloses()) {
      worker.post(current::finishPendingCloses);
    }
  }

  /** Waits until every action queued before this call has run (for tests and tools). */
  public void awaitIdle() {
    worker.call(() -> null, null);
  }

  /** The device tree, the root first, each parent before its children. */
  public List<DevNodeInfo> deviceTree() {
    DeviceTree current = tree;
    return current == null ? List.of() : current.snapshot(port);
  }

  /**
   * Installs a root-enumerated device ({@code devcon install}): writes {@code
   * Enum\Root\<CLASS>\NNNN} (the first free number) and enumerates the root, which brings it up.
   * The caller checked the privilege. A device that did not start is still installed: its
   * devnode's problem says why.
   */
  public DeviceInstallResult installDevice(DeviceInstall install) {
    if (install.hardwareId().isBlank() || install.service().isBlank()) {
      return DeviceInstallResult.failed(NtStatus.STATUS_INVALID_PARAMETER);
    }
    return worker.call(() -> {
      String className = DeviceClasses.instanceClass(install);
      String classKey = PnpRegistry.ENUM + "\\Root\\" + className;
      List<String> taken = registry.subkeys(classKey);
      int number = 0;
      while (taken.contains(String.format("%04d", number))) {
        number++;
      }
      if (number > 9999) {
        return DeviceInstallResult.failed(NtStatus.STATUS_INSUFFICIENT_RESOURCES);
      }
      String instance = String.format("%04d", number);
      String key = classKey + "\\" + instance;
      NtStatus written = registry.set(key, RegValue.multiString("HardwareID", List.of(install.hardwareId())), false);
      if (!written.isSuccess()) {
        return DeviceInstallResult.failed(written);
      }
      registry.set(key, RegValue.string("Service", install.service()), false);
      registry.set(key, RegValue.string("ClassGUID", DeviceClasses.classGuid(install.className(), className)), false);
      registry.set(key, RegValue.dword("ConfigFlags", 0), false);
      if (!install.lowerFilters().isEmpty()) {
        registry.set(key, RegValue.multiString("LowerFilters", install.lowerFilters()), false);
      }
      if (!install.upperFilters().isEmpty()) {
        registry.set(key, RegValue.multiString("UpperFilters", install.upperFilters()), false);
      }
      enumeration.enumerate(tree.root());
      return new DeviceInstallResult(NtStatus.STATUS_SUCCESS, "ROOT\\" + className + "\\" + instance);
    }, DeviceInstallResult.failed(NtStatus.STATUS_SYSTEM_SHUTDOWN));
  }

  /**
   * Removes a device and its subtree ({@code devcon remove}): query-remove (vetoable), then remove.
   * A root-enumerated device is uninstalled (its instance key deleted, its PDO deleted by the root
   * bus); a bus-enumerated one stays Removed, its PDO kept by its bus.
   */
  public PnpVetoResult removeDevice(String instancePath) {
    return onNode(instancePath, node -> {
      PnpVetoResult vetoed = removal.queryRemove(node);
      if (vetoed.vetoed()) {
        return vetoed;
      }
      boolean rootEnumerated = node.parent() == tree.root();
      if (rootEnumerated) {
        registry.deleteTree(PnpRegistry.ENUM + "\\" + node.instancePath());
      }
      removal.remove(node, rootEnumerated);
      return PnpVetoResult.of(NtStatus.STATUS_SUCCESS);
    });
  }

  /** Disables a device ({@code devcon disable}): CONFIGFLAG_DISABLED, then removed as above. */
  public PnpVetoResult disableDevice(String instancePath) {
    return onNode(instancePath, node -> {
      PnpVetoResult vetoed = removal.queryRemove(node);
      if (vetoed.vetoed()) {
        return vetoed;
      }
      String key = PnpRegistry.ENUM + "\\" + node.instancePath();
      registry.set(key, RegValue.dword("ConfigFlags",
          registry.dword(key, "ConfigFlags", 0) | PnpRegistry.CONFIGFLAG_DISABLED), false);
      removal.remove(node, false);
      node.setDisabled(true);
      node.setProblem(ProblemCodes.CM_PROB_DISABLED, NtStatus.STATUS_PLUGPLAY_NO_DEVICE);
      return PnpVetoResult.of(NtStatus.STATUS_SUCCESS);
    });
  }

  /** Enables a disabled device and brings it up ({@code devcon enable}). */
  public NtStatus enableDevice(String instancePath) {
    return onNode(instancePath, node -> {
      String key = PnpRegistry.ENUM + "\\" + node.instancePath();
      registry.set(key, RegValue.dword("ConfigFlags",
          registry.dword(key, "ConfigFlags", 0) & ~PnpRegistry.CONFIGFLAG_DISABLED), false);
      node.setDisabled(false);
      if (node.state() == DeviceNodeState.DeviceNodeStarted) {
        return NtStatus.STATUS_SUCCESS;
      }
      reconfigureAndBringUp(node);
      return NtStatus.STATUS_SUCCESS;
    }, NtStatus.STATUS_NO_SUCH_DEVICE);
  }

  /** Restarts a device ({@code devcon restart}): removed as above, then brought up again. */
  public PnpVetoResult restartDevice(String instancePath) {
    return onNode(instancePath, node -> {
      PnpVetoResult vetoed = removal.queryRemove(node);
      if (vetoed.vetoed()) {
        return vetoed;
      }
      removal.remove(node, false);
      reconfigureAndBringUp(node);
      return PnpVetoResult.of(NtStatus.STATUS_SUCCESS);
    });
  }

  private void reconfigureAndBringUp(DeviceNode node) {
    if (node.state() != DeviceNodeState.DeviceNodeInitialized) {
      node.moveTo(DeviceNodeState.DeviceNodeInitialized);
    }
    enumeration.configure(node, node.parent() == tree.root(), node.hardwareIds());
    if (bringUp.bringUp(node)) {
      enumeration.enumerate(node);
    }
  }

  private PnpVetoResult onNode(String instancePath, Function<DeviceNode, PnpVetoResult> action) {
    return onNode(instancePath, action, PnpVetoResult.of(NtStatus.STATUS_NO_SUCH_DEVICE));
  }

  private <T> T onNode(String instancePath, Function<DeviceNode, T> action, T notFound) {
    return worker.call(() -> {
      if (tree == null) {
        return notFound;
      }
      Optional<DeviceNode> node = tree.find(instancePath);
      if (node.isEmpty() || node.get() == tree.root()) {
        return notFound;
      }
      return action.apply(node.get());
    }, notFound);
  }

  /**
   * Removes every device, deepest first, without query-remove (spec §1.B: at shutdown every PnP
   * device is removed before any driver is unloaded); the PnP drivers whose last device went
   * unload. Instance keys stay, so the next boot brings the devices up again.
   */
  public void removeAllDevices() {
    worker.call(() -> {
      if (tree == null) {
        return null;
      }
      // Every device goes before any driver: the unloads wait until the last device is removed.
      java.util.Set<ntio.ddk.DriverObject> drivers = new java.util.LinkedHashSet<>();
      for (DeviceNode node : DeviceTree.postOrder(tree.root())) {
        for (DeviceObject device : port.stack(node.pdo())) {
          if (device.driverObject() != rootBus.driver()) {
            drivers.add(device.driverObject());
            port.reference(device.driverObject());
          }
        }
      }
      port.holdPnpUnloads(true);
      try {
        for (DeviceNode child : tree.root().children()) {
          removal.remove(child, true);
        }
      } finally {
        port.holdPnpUnloads(false);
      }
      bringUp.unloadUnused(drivers);
      drivers.forEach(port::dereference);
      return null;
    }, null);
  }

  /**
   * Stops the worker (after the actions already queued). Idempotent. Removes nothing: the kernel
   * calls {@link #removeAllDevices} first unless it halted.
   */
  public void shutdown() {
    worker.shutdown(shutdownTimeout);
  }
}
