package ntio.kernel.io;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import ntio.api.DriverLoadResult;
import ntio.ddk.AddDevice;
import ntio.ddk.DeviceObject;
import ntio.ddk.DriverObject;
import ntio.ddk.NtStatus;
import ntio.ddk.ProcessorMode;
import ntio.ddk.UnicodeString;
import ntio.kernel.objects.ObjectManager.Referenced;

/**
 * What the PnP manager ({@code ntio.kernel.pnp}) needs of the I/O manager, and nothing more: the
 * PnP-flavoured driver load (B41), AddDevice, PnP IRPs sent as real IRPs down a stack, the
 * stack's devices, the removal marks and the PnP unload of a driver (both decided by {@link
 * UnloadPolicy}), and where {@code IoInvalidateDeviceRelations} goes.
 *
 * <p>Everything here is called with no kernel lock held; driver code runs through {@link
 * IoManager#callDriver}. The PnP manager depends on this package, never the other way round: it
 * registers itself with {@link #connect}.
 */
public final class PnpPort {

  /** Where the PnP manager hears from drivers and from the last close of a device. */
  public interface Listener {
    /** {@code IoInvalidateDeviceRelations(pdo, type)}: queue a re-enumeration; never block. */
    void invalidateDeviceRelations(DeviceObject pdo, int type);

    /** The last open reference of {@code device} went (no lock held); never block. */
    void unreferenced(DeviceObject device);
  }

  private static final Listener NONE = new Listener() {
    @Override
    public void invalidateDeviceRelations(DeviceObject pdo, int type) {}

    @Override
    public void unreferenced(DeviceObject device) {}
  };

  private final IoManager io;
  private final PnpIrpChecks checks;
  private volatile Listener listener = NONE;

  PnpPort(IoManager io) {
    this.io = io;
    this.checks = new PnpIrpChecks(io);
  }

  /** Makes {@code listener} the PnP manager this I/O manager reports to. */
  public void connect(Listener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
    io.unloadPolicy.onUnreferenced(listener::unreferenced);
  }

  /** {@code IoInvalidateDeviceRelations}, from a driver's import table. */
  void invalidateDeviceRelations(DeviceObject pdo, int type) {
    listener.invalidateDeviceRelations(pdo, type);
  }

  // Drivers ---------------------------------------------------------------------------------------

  /**
   * A driver found or loaded for a device (B41).
   *
   * @param status STATUS_SUCCESS, or why the load failed
   * @param driverEntryFailed whether the failure is DriverEntry's own (CM_PROB_FAILED_DRIVER_ENTRY)
   * @param priorUnload whether a previous instance of the driver is still unloading
   *     (CM_PROB_DRIVER_FAILED_PRIOR_UNLOAD)
   * @param driver the driver, referenced for the caller (drop it with {@link #dereference}); null
   *     on failure
   * @param loadedNow whether this call loaded it (rather than reusing a loaded driver)
   */
  public record DriverLoad(NtStatus status, boolean driverEntryFailed, boolean priorUnload,
      DriverObject driver, boolean loadedNow) {}

  /**
   * {@code PiCallDriverAddDevice}'s load of one service: a driver already loaded under {@code
   * \Driver\<service>} is reused; one still unloading is waited for (at most {@code unloadWait})
   * and then loaded afresh; otherwise the load is NtLoadDriver's own path, run on the calling
   * System thread (the PnP worker). Call it from a System thread.
   */
  public DriverLoad loadDriver(String service, Duration unloadWait) {
    String objectName = "\\Driver\\" + service;
    long deadline = System.nanoTime() + unloadWait.toNanos();
    KernelDriverObject existing = referenceDriver(objectName);
    if (existing != null) {
      if (isUsable(existing)) {
        return new DriverLoad(NtStatus.STATUS_SUCCESS, false, false, existing, false);
      }
      boolean gone = awaitUnloadFinished(existing, unloadWait);
      existing.dereference();
      if (!gone) {
        return new DriverLoad(NtStatus.STATUS_IMAGE_ALREADY_LOADED, false, true, null, false);
      }
    }
    // DriverUnload may have returned (the name is gone) while the image is still mapped until its
    // last reference goes: the same prior unload, waited for within the same limit.
    DriverLoadResult[] result = new DriverLoadResult[1];
    pollUntil(deadline, () -> {
      result[0] = io.loading.ntLoadDriverDetailed(io.processes.systemThread(),
          UnicodeString.of(StartDrivers.SERVICES + "\\" + service));
      return !result[0].status().equals(NtStatus.STATUS_IMAGE_ALREADY_LOADED);
    });
    if (!result[0].status().isSuccess()) {
      boolean prior = result[0].status().equals(NtStatus.STATUS_IMAGE_ALREADY_LOADED);
      return new DriverLoad(result[0].status(), DriverLoading.isDriverEntryFailure(result[0]), prior, null, false);
    }
    KernelDriverObject loaded = referenceDriver(objectName);
    if (loaded == null) {
      // Loaded under another name (ObjectName) or already gone again: not a PnP driver we can use.
      return new DriverLoad(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND, false, false, null, true);
    }
    return new DriverLoad(NtStatus.STATUS_SUCCESS, false, false, loaded, true);
  }

  private KernelDriverObject referenceDriver(String objectName) {
    Referenced<KernelDriverObject> found = io.objects.referenceByName(objectName, io.driverType);
    return found.isSuccess() ? found.object() : null;
  }

  private boolean isUsable(KernelDriverObject driver) {
    synchronized (io.database) {
      return driver.stateLocked() == DriverState.STARTED;
    }
  }

  /**
   * Waits, at most {@code limit}, until {@code driver} is no longer unloading (its DriverUnload
   * returned, or it never started one). Returns whether it finished.
   */
  public boolean awaitUnloadFinished(DriverObject driver, Duration limit) {
    KernelDriverObject kernelDriver = (KernelDriverObject) driver;
    return pollUntil(System.nanoTime() + limit.toNanos(), () -> {
      DriverState state = kernelDriver.state();
      return state != DriverState.UNLOADING && state != DriverState.UNLOAD_PENDING;
    });
  }

  /**
   * Asks {@code done} every 2 ms until it answers true or {@code deadline} ({@link System#nanoTime})
   * passes; asked once more at least. Returns its last answer (false when interrupted).
   */
  private static boolean pollUntil(long deadline, java.util.function.BooleanSupplier done) {
    while (!done.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /** Whether {@code driver} is a legacy driver ({@code DRVO_LEGACY_DRIVER}, B40). */
  public boolean isLegacy(DriverObject driver) {
    return ((KernelDriverObject) driver).isLegacy();
  }

  /** The service the driver was loaded from (its {@code ServiceKeyName}). */
  public String serviceName(DriverObject driver) {
    return ((KernelDriverObject) driver).serviceName();
  }

  /** Whether the driver is unloading or unloaded ({@code DRVO_UNLOAD_INVOKED}). */
  public boolean isUnloading(DriverObject driver) {
    DriverState state = ((KernelDriverObject) driver).state();
    return state == DriverState.UNLOADING || state == DriverState.UNLOADED || state == DriverState.DELETED;
  }

  /**
   * Calls {@code driver}'s AddDevice for {@code pdo}, with no lock held. A driver with none is
   * treated as legacy: STATUS_UNSUCCESSFUL (B41).
   */
  public NtStatus addDevice(DriverObject driver, DeviceObject pdo) {
    KernelDriverObject kernelDriver = (KernelDriverObject) driver;
    AddDevice routine = kernelDriver.dispatchTable().addDevice();
    if (routine == null) {
      return NtStatus.STATUS_UNSUCCESSFUL;
    }
    NtStatus status = io.callDriver(kernelDriver, DriverDoor.ADD_DEVICE, null,
        () -> routine.addDevice(kernelDriver, pdo));
    if (status == null) {
      throw io.driverFault(kernelDriver, new NullPointerException("AddDevice returned null"));
    }
    return status;
  }

  /**
   * The PnP manager's unload of a PnP driver left with no device ({@code IopUnloadDriver} with
   * {@code InvokedByPnpMgr}); see {@link UnloadPolicy#unloadUnusedPnpDriver}.
   */
  public boolean unloadUnusedDriver(DriverObject driver, boolean inline) {
    return io.unloadPolicy.unloadUnusedPnpDriver((KernelDriverObject) driver, inline);
  }

  /** Holds or releases PnP drivers' unloads at their last device ({@link UnloadPolicy#holdPnpUnloads}). */
  public void holdPnpUnloads(boolean hold) {
    io.unloadPolicy.holdPnpUnloads(hold);
  }

  /** Whether the driver still has device objects linked. */
  public boolean hasDevices(DriverObject driver) {
    synchronized (io.database) {
      return ((KernelDriverObject) driver).firstDeviceLocked() != null;
    }
  }

  // Stacks and IRPs -------------------------------------------------------------------------------

  /** What a PnP IRP came back with: its final status and {@code IoStatus.Information}'s pointer. */
  public record IrpResult(NtStatus status, Object information) {}

  /**
   * Sends a PnP IRP to the top of {@code device}'s stack and waits for its completion: allocated
   * with the top's stack size, its first location set with {@link
   * ntio.ddk.IoStackLocation#setPnp}, and {@code IoStatus.Status} STATUS_NOT_SUPPORTED before it is
   * sent, as NT's {@code IopSynchronousCall} does, so that a stack where nobody handles the minor
   * function answers STATUS_NOT_SUPPORTED. When the verifier watches a driver of the stack, the
   * request is watched on its way and the verifier's PnP IRP checks run once it is back ({@link
   * PnpIrpChecks}).
   */
  public IrpResult send(DeviceObject device, int minorFunction, int parameter) {
    return send(device, location -> location.setPnp(minorFunction, parameter));
  }

  /**
   * {@code IopQueryDeviceCapabilities}: IRP_MN_QUERY_CAPABILITIES to the top of {@code device}'s
   * stack, carrying {@code capabilities} (the caller fills in the defaults first), sent as {@link
   * #send(DeviceObject, int, int)} sends every PnP IRP.
   */
  public IrpResult queryCapabilities(DeviceObject device, ntio.ddk.DeviceCapabilities capabilities) {
    return send(device, location -> location.setQueryCapabilities(capabilities));
  }

  private IrpResult send(DeviceObject device, java.util.function.Consumer<ntio.ddk.IoStackLocation> parameters) {
    KernelDeviceObject top = io.devices.attachedReference((KernelDeviceObject) device);
    List<KernelDeviceObject> before = kernel(stack(device));
    PnpIrpWatch watch = checks.watches(before) ? new PnpIrpWatch() : null;
    List<String> names = watch == null ? List.of() : PnpIrpChecks.describe(before);
    try {
      int stackSize;
      synchronized (io.database) {
        stackSize = top.stackSizeLocked();
      }
      KernelIrp irp = new KernelIrp(stackSize, ProcessorMode.KERNEL, null, null, null);
      parameters.accept(irp.nextStackLocation());
      int minorFunction = irp.nextStackLocation().minorFunction();
      irp.ioStatus().setStatus(NtStatus.STATUS_NOT_SUPPORTED);
      irp.watchPnp(watch);
      NtStatus returned = io.requests.callDriver(top, irp);
      io.requests.settle(irp, returned);
      irp.awaitFinished();
      if (watch != null) {
        checks.check(before, names, minorFunction, watch);
      }
      return new IrpResult(irp.ioStatus().status(), irp.ioStatus().informationPointer());
    } finally {
      top.dereference();
    }
  }

  /** The devices of {@code pdo}'s stack, from the top down to the PDO. */
  public List<DeviceObject> stack(DeviceObject pdo) {
    List<DeviceObject> stack = new ArrayList<>();
    synchronized (io.database) {
      KernelDeviceObject device = Devices.topLocked((KernelDeviceObject) pdo);
      while (device != null) {
        stack.add(device);
        device = device.attachedToLocked();
      }
    }
    return stack;
  }

  private static List<KernelDeviceObject> kernel(List<DeviceObject> devices) {
    return devices.stream().map(KernelDeviceObject.class::cast).toList();
  }

  /**
   * Query-remove's open-handle check and mark ({@link UnloadPolicy#beginRemoval}): the first open
   * device of {@code stack}, which vetoes, or null when the whole stack is now remove-pending.
   */
  public DeviceObject beginRemoval(List<DeviceObject> stack, boolean evenIfOpen) {
    return io.unloadPolicy.beginRemoval(kernel(stack), evenIfOpen);
  }

  /** After a veto: the stack is openable again. */
  public void cancelRemoval(List<DeviceObject> stack) {
    io.unloadPolicy.cancelRemoval(kernel(stack));
  }

  /** After IRP_MN_REMOVE_DEVICE: what is left of the stack is remove-processed. */
  public void removalProcessed(List<DeviceObject> stack) {
    io.unloadPolicy.removalProcessed(kernel(stack));
  }

  /** Whether a device of {@code stack} is open. */
  public boolean anyOpen(List<DeviceObject> stack) {
    return io.unloadPolicy.anyOpen(kernel(stack));
  }

  /** Whether IoDeleteDevice was called on {@code device} (its final delete may still wait). */
  public boolean isDeleted(DeviceObject device) {
    synchronized (io.database) {
      return ((KernelDeviceObject) device).stateLocked().deletePending()
          || ((KernelDeviceObject) device).stateLocked() == DeviceState.DELETED;
    }
  }

  /** The device's name, or a description when it has none. */
  public String describe(DeviceObject device) {
    KernelDeviceObject kernelDevice = (KernelDeviceObject) device;
    return kernelDevice.fullName().orElse("");
  }

  /** The driver object's name ({@code \Driver\Toaster}). */
  public String driverName(DriverObject driver) {
    return ((KernelDriverObject) driver).driverName().text();
  }

  /** {@code ObReferenceObject} of a driver or device object. */
  public void reference(Object object) {
    ((ntio.kernel.objects.KernelObject) object).reference();
  }

  /** {@code ObDereferenceObject} of a driver or device object. */
  public void dereference(Object object) {
    ((ntio.kernel.objects.KernelObject) object).dereference();
  }
}
