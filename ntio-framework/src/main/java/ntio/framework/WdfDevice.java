package ntio.framework;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.ArrayList;
import java.util.List;
import ntio.ddk.DeviceObject;
import ntio.ddk.Irp;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;

/**
 * {@code WDFDEVICE}: a device the framework runs for the driver. Models {@code FxDevice} (S20;
 * partial: no file-object callbacks, no power IRPs, no device interfaces): a control device, or a
 * PnP device — an FDO, or a filter ({@link WdfPnp#fdoInitSetFilter}) — that EvtDriverDeviceAdd
 * created on a PDO's stack and whose PnP IRPs its {@link FxPkgPnp} handles.
 *
 * <p>The framework owns the WDM device object: its extension is this object, and the framework's
 * dispatch routines route each request — opens, cleanups and closes it completes itself; the rest
 * go to the device's default queue as {@link WdfRequest}s. A filter passes down whatever it has no
 * queue for, opens, cleanups and closes included, as KMDF's I/O package does for a filter. Its
 * parent is always the WDFDRIVER (O3). A control device may be deleted by the driver; its queues,
 * timers, work items and memory go with it, and its symbolic links and device object are deleted
 * in its dispose (O20). A PnP device may not be deleted by the driver (O14): its removal deletes
 * it ({@link FxPkgPnp}).
 */
public final class WdfDevice extends WdfObject {

  private final boolean control;
  /** The PnP package of an FDO or filter; null for a control device. */
  private final FxPkgPnp pnp;
  private DeviceObject deviceObject;

  /** Every queue created for this device, for the PnP package to start, hold and purge. */
  @GuardedBy("treeLock")
  private final List<WdfIoQueue> queues = new ArrayList<>();

  @GuardedBy("treeLock")
  private final List<UnicodeString> symbolicLinks = new ArrayList<>();

  @GuardedBy("treeLock")
  private WdfIoQueue defaultQueue;

  WdfDevice(FxGlobals globals, FxPool.Allocation allocation, WdfObjectAttributes attributes,
      boolean control) {
    super(globals, WdfHandleType.WDFDEVICE, allocation, attributes);
    this.control = control;
    this.pnp = null;
    FxConstraints constraints = resolve(globals, attributes);
    deliversCallbacks(constraints, FxCallbackLock.forLevel(globals, this, constraints));
    if (!control) {
      markNoDeleteDdi();
    }
  }

  /** A PnP device (an FDO or, with {@code filter}, a filter) with these PnP/power callbacks. */
  WdfDevice(FxGlobals globals, FxPool.Allocation allocation, WdfObjectAttributes attributes,
      boolean filter, WdfPnpPowerEventCallbacks callbacks, DeviceObject physicalDevice) {
    super(globals, WdfHandleType.WDFDEVICE, allocation, attributes);
    this.control = false;
    this.pnp = new FxPkgPnp(globals, this, filter, callbacks, physicalDevice);
    FxConstraints constraints = resolve(globals, attributes);
    deliversCallbacks(constraints, FxCallbackLock.forLevel(globals, this, constraints));
    markNoDeleteDdi();
  }

  /**
   * The device's constraints: its attributes', each InheritFromParent replaced by the driver's.
   * Models {@code FxDeviceBase::ConfigureConstraints}, whose callback lock is a mutex lock for
   * Passive and a spin lock otherwise.
   */
  private static FxConstraints resolve(FxGlobals globals, WdfObjectAttributes attributes) {
    WdfDriver driver = globals.driver();
    return (driver == null ? FxConstraints.DRIVER_DEFAULT : driver.constraints()).inheritedBy(attributes);
  }

  void attach(DeviceObject device) {
    this.deviceObject = device;
  }

  /** The WDM device object. Models {@code WdfDeviceWdmGetDeviceObject} (full). */
  public DeviceObject wdmDevice() {
    return deviceObject;
  }

  /** Whether this is a control device, which the driver may delete. */
  public boolean isControlDevice() {
    return control;
  }

  /** Whether this is a filter device: it passes down what it does not handle. */
  public boolean isFilter() {
    return pnp != null && pnp.isFilter();
  }

  /**
   * Where a PnP device is in its PnP life, or null for a control device: a diagnostic snapshot,
   * as {@code !wdfdevice} shows it.
   */
  public WdfDevicePnpState pnpState() {
    return pnp == null ? null : pnp.state();
  }

  /** The PnP package, or null for a control device. */
  FxPkgPnp pnp() {
    return pnp;
  }

  /** Whether a queue created now starts out holding requests: a power-managed queue before start. */
  boolean holdsNewQueues() {
    return pnp != null && pnp.powerManagedQueues() && !pnp.state().poweredUp();
  }

  void addQueue(WdfIoQueue queue) {
    synchronized (treeLock) {
      queues.add(queue);
    }
  }

  /** The device's queues still alive, in creation order. */
  List<WdfIoQueue> liveQueues() {
    synchronized (treeLock) {
      List<WdfIoQueue> live = new ArrayList<>();
      for (WdfIoQueue queue : queues) {
        if (queue.stateLocked() == WdfObjectState.CREATED) {
          live.add(queue);
        }
      }
      return live;
    }
  }

  WdfIoQueue defaultQueue() {
    synchronized (treeLock) {
      return defaultQueue;
    }
  }

  /** Makes {@code queue} the default queue; false when there already is one. */
  boolean setDefaultQueue(WdfIoQueue queue) {
    synchronized (treeLock) {
      if (defaultQueue != null && defaultQueue.stateLocked() != WdfObjectState.DESTROYED) {
        return false;
      }
      defaultQueue = queue;
      return true;
    }
  }

  NtStatus createSymbolicLink(String linkName) {
    UnicodeString link = UnicodeString.of(linkName);
    String target = deviceObject.deviceName().orElse(null);
    if (target == null) {
      return NtStatus.STATUS_INVALID_DEVICE_STATE;
    }
    NtStatus status = globals.services.createSymbolicLink(link, UnicodeString.of(target));
    if (status.isSuccess()) {
      synchronized (treeLock) {
        symbolicLinks.add(link);
      }
    }
    return status;
  }

  /**
   * The framework's dispatch routine for this device. Models {@code FxDevice::Dispatch} and the
   * I/O package's routing (partial): create, cleanup and close complete with success (the
   * framework's file objects are not modelled); every other request becomes a WDFREQUEST on the
   * default queue, or fails with {@code STATUS_INVALID_DEVICE_REQUEST} when there is none.
   */
  NtStatus dispatch(Irp irp) {
    int major = irp.currentStackLocation().majorFunction();
    if (pnp != null) {
      if (major == MajorFunctions.IRP_MJ_PNP) {
        return pnp.dispatchPnp(irp);
      }
      if (major == MajorFunctions.IRP_MJ_POWER || major == MajorFunctions.IRP_MJ_SYSTEM_CONTROL
          || (pnp.isFilter() && (defaultQueue() == null || major == MajorFunctions.IRP_MJ_CREATE
              || major == MajorFunctions.IRP_MJ_CLEANUP || major == MajorFunctions.IRP_MJ_CLOSE))) {
        return pnp.passDown(irp);
      }
    }
    if (major == MajorFunctions.IRP_MJ_CREATE || major == MajorFunctions.IRP_MJ_CLEANUP
        || major == MajorFunctions.IRP_MJ_CLOSE) {
      return completeIrp(irp, NtStatus.STATUS_SUCCESS);
    }
    WdfIoQueue queue;
    synchronized (treeLock) {
      queue = stateLocked() == WdfObjectState.CREATED ? defaultQueue : null;
    }
    if (queue == null) {
      return completeIrp(irp, NtStatus.STATUS_INVALID_DEVICE_REQUEST);
    }
    FxPool.Allocation allocation = globals.allocate(FxGlobals.OBJECT_HEADER_SIZE, "WDFREQUEST for " + irp);
    if (allocation == null) {
      return completeIrp(irp, NtStatus.STATUS_INSUFFICIENT_RESOURCES);
    }
    WdfRequest request = new WdfRequest(globals, allocation, irp, this);
    request.commit(null);
    irp.markPending();
    queue.enqueue(request);
    return NtStatus.STATUS_PENDING;
  }

  private NtStatus completeIrp(Irp irp, NtStatus status) {
    irp.ioStatus().setStatus(status);
    irp.ioStatus().setInformation(0);
    globals.services.completeRequest(irp, 0);
    return status;
  }

  /**
   * Deletes the symbolic links and, for a control device, the device object. A PnP device's
   * object stays until its removal has passed IRP_MN_REMOVE_DEVICE down ({@link FxPkgPnp}).
   */
  @Override
  void disposeResources() {
    List<UnicodeString> links;
    synchronized (treeLock) {
      links = new ArrayList<>(symbolicLinks);
      symbolicLinks.clear();
    }
    for (UnicodeString link : links) {
      globals.services.deleteSymbolicLink(link);
    }
    if (pnp == null) {
      globals.services.deleteDevice(deviceObject);
    }
  }

  @Override
  void discardResources() {
    if (pnp != null) {
      pnp.detach();
    }
    if (deviceObject != null) {
      globals.services.deleteDevice(deviceObject);
    }
  }
}
