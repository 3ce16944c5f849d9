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
 * {@code WDFDEVICE}: a device the framework runs for the driver. Models {@code FxDevice} for a
 * control device (S20; partial: ntio has no PnP manager, so every WDFDEVICE is a control device of
 * a non-PnP driver; no file-object callbacks, no power).
 *
 * <p>The framework owns the WDM device object: its extension is this object, and the framework's
 * dispatch routines route each request — opens, cleanups and closes it completes itself; the rest
 * go to the device's default queue as {@link WdfRequest}s. Its parent is always the WDFDRIVER
 * (O3). A control device may be deleted by the driver; its queues, timers, work items and memory go
 * with it, and its symbolic links and device object are deleted in its dispose (O20).
 */
public final class WdfDevice extends WdfObject {

  private final boolean control;
  private DeviceObject deviceObject;

  @GuardedBy("treeLock")
  private final List<UnicodeString> symbolicLinks = new ArrayList<>();

  @GuardedBy("treeLock")
  private WdfIoQueue defaultQueue;

  WdfDevice(FxGlobals globals, FxPool.Allocation allocation, WdfObjectAttributes attributes,
      boolean control) {
    super(globals, WdfHandleType.WDFDEVICE, allocation, attributes);
    this.control = control;
    if (!control) {
      markNoDeleteDdi();
    }
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
    globals.services.deleteDevice(deviceObject);
  }

  @Override
  void discardResources() {
    if (deviceObject != null) {
      globals.services.deleteDevice(deviceObject);
    }
  }
}
