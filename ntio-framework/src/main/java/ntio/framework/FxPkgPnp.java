package ntio.framework;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.concurrent.CompletableFuture;
import ntio.ddk.DeviceObject;
import ntio.ddk.Irp;
import ntio.ddk.NtStatus;
import ntio.ddk.PnpMinorFunctions;

/**
 * The PnP half of a PnP WDFDEVICE (an FDO or a filter): handles its {@code IRP_MJ_PNP} requests,
 * calls the driver's PnP/power callbacks in KMDF's order, starts, holds and purges its queues,
 * and on removal deletes the WDFDEVICE and its device object. Models KMDF's {@code FxPkgPnp} /
 * {@code FxPkgFdo} ({@code shared/irphandlers/pnp/fxpkgpnp.cpp}, {@code fxpkgfdo.cpp},
 * {@code pnpstatemachine.cpp}; partial: no power IRPs or power policy, no remove lock, no
 * device-interface or child-list work, no resource lists). Its state is {@link WdfDevicePnpState}.
 *
 * <ul>
 *   <li>{@code IRP_MN_START_DEVICE}: sent down first and waited for ({@code
 *       FxPkgFdo::_PnpStartDevice} with {@code SendIrpSynchronously}); if the lower drivers
 *       started it, EvtDevicePrepareHardware, EvtDeviceD0Entry({@code D3Final}), then the queues
 *       present what they held. A failure of either callback fails the start with its status
 *       (EvtDeviceReleaseHardware runs if PrepareHardware did); the PnP manager then removes the
 *       stack.
 *   <li>{@code IRP_MN_QUERY_REMOVE_DEVICE}, {@code CANCEL_REMOVE}, {@code QUERY_STOP}, {@code
 *       CANCEL_STOP}: agreed to and passed down. A framework device never vetoes a removal because
 *       it is open: the PnP manager does that.
 *   <li>{@code IRP_MN_STOP_DEVICE}: queues hold, D0Exit({@code D3}), ReleaseHardware, passed down.
 *   <li>{@code IRP_MN_SURPRISE_REMOVAL}: queues purged, D0Exit({@code D3Final}), ReleaseHardware,
 *       passed down; the REMOVE that follows only cleans up.
 *   <li>{@code IRP_MN_REMOVE_DEVICE}: queues purged (waiting requests complete with {@code
 *       STATUS_CANCELLED}), D0Exit({@code D3Final}) and ReleaseHardware if still powered,
 *       EvtDeviceSelfManagedIoCleanup if the device ever started, then the WDFDEVICE and its
 *       subtree are deleted (cleanup callbacks leaves first, destroy after, O20), the REMOVE is
 *       passed down, and the device object is detached and deleted — the FDO's WDM contract.
 *   <li>anything else is passed down untouched.
 * </ul>
 *
 * <p>Requests a driver was presented before a purge stay the driver's to complete (KMDF would wait
 * for them and call EvtIoStop; ntio does neither). PnP IRPs arrive one at a time (the PnP manager
 * serializes them); the state is guarded by this object's monitor anyway, and the driver's
 * callbacks are called without it.
 */
final class FxPkgPnp {

  private final FxGlobals globals;
  private final WdfDevice device;
  private final boolean filter;
  private final WdfPnpPowerEventCallbacks callbacks;
  private final DeviceObject physicalDevice;

  /** The state; {@link #transition} is its only writer. */
  @GuardedBy("this")
  private WdfDevicePnpState state = WdfDevicePnpState.INIT;

  /** The device this one is attached to (the top of the PDO's stack at AddDevice); null until then. */
  @GuardedBy("this")
  private DeviceObject lower;

  /** Whether a start ever succeeded: EvtDeviceSelfManagedIoCleanup runs at removal only then. */
  @GuardedBy("this")
  private boolean everStarted;

  FxPkgPnp(FxGlobals globals, WdfDevice device, boolean filter, WdfPnpPowerEventCallbacks callbacks,
      DeviceObject physicalDevice) {
    this.globals = globals;
    this.device = device;
    this.filter = filter;
    this.callbacks = callbacks;
    this.physicalDevice = physicalDevice;
  }

  boolean isFilter() {
    return filter;
  }

  /**
   * Whether the device's queues are power-managed: they hold requests while the device is not in
   * D0. True for an FDO, false for a filter (KMDF's {@code WdfUseDefault} for {@code
   * PowerManaged}).
   */
  boolean powerManagedQueues() {
    return !filter;
  }

  synchronized WdfDevicePnpState state() {
    return state;
  }

  DeviceObject physicalDevice() {
    return physicalDevice;
  }

  synchronized DeviceObject lower() {
    return lower;
  }

  /** Records the device {@code IoAttachDeviceToDeviceStack} attached this one to. */
  synchronized void attached(DeviceObject attachedTo) {
    this.lower = attachedTo;
  }

  /** Detaches the device from its stack, once ({@code IoDetachDevice} on the lower device). */
  void detach() {
    DeviceObject below;
    synchronized (this) {
      below = lower;
      lower = null;
    }
    if (below != null) {
      globals.services.detachDevice(below);
    }
  }

  private synchronized void transition(WdfDevicePnpState next) {
    if (!state.canBecome(next)) {
      throw new IllegalStateException(device + ": illegal PnP transition " + state + " -> " + next);
    }
    state = next;
  }

  // Dispatch ------------------------------------------------------------------------------------

  /** Handles an {@code IRP_MJ_PNP} request for the device. */
  NtStatus dispatchPnp(Irp irp) {
    int minor = irp.currentStackLocation().minorFunction();
    WdfDevicePnpState now = state();
    switch (minor) {
      case PnpMinorFunctions.IRP_MN_START_DEVICE:
        return start(irp);
      case PnpMinorFunctions.IRP_MN_QUERY_REMOVE_DEVICE:
        if (now == WdfDevicePnpState.STARTED) {
          transition(WdfDevicePnpState.QUERY_REMOVED);
        }
        return succeedAndPassDown(irp);
      case PnpMinorFunctions.IRP_MN_CANCEL_REMOVE_DEVICE:
        if (now == WdfDevicePnpState.QUERY_REMOVED) {
          transition(WdfDevicePnpState.STARTED);
        }
        return succeedAndPassDown(irp);
      case PnpMinorFunctions.IRP_MN_QUERY_STOP_DEVICE:
      case PnpMinorFunctions.IRP_MN_CANCEL_STOP_DEVICE:
        return succeedAndPassDown(irp);
      case PnpMinorFunctions.IRP_MN_STOP_DEVICE:
        if (now == WdfDevicePnpState.STARTED) {
          powerDown(WdfPowerDeviceState.D3, false);
          transition(WdfDevicePnpState.STOPPED);
        }
        return succeedAndPassDown(irp);
      case PnpMinorFunctions.IRP_MN_SURPRISE_REMOVAL:
        if (now != WdfDevicePnpState.SURPRISE_REMOVED && now != WdfDevicePnpState.REMOVED) {
          if (now.poweredUp()) {
            powerDown(WdfPowerDeviceState.D3_FINAL, true);
          } else {
            purgeQueues();
          }
          if (now != WdfDevicePnpState.INIT) {
            transition(WdfDevicePnpState.SURPRISE_REMOVED);
          }
        }
        return succeedAndPassDown(irp);
      case PnpMinorFunctions.IRP_MN_REMOVE_DEVICE:
        return remove(irp);
      default:
        return passDown(irp);
    }
  }

  /** Passes the request to the device below, untouched. */
  NtStatus passDown(Irp irp) {
    DeviceObject below = lower();
    if (below == null) {
      // Detached already (removed): nothing below to answer it.
      NtStatus status = irp.ioStatus().status();
      globals.services.completeRequest(irp, 0);
      return status;
    }
    irp.skipCurrentStackLocation();
    return globals.services.callDriver(below, irp);
  }

  private NtStatus succeedAndPassDown(Irp irp) {
    irp.ioStatus().setStatus(NtStatus.STATUS_SUCCESS);
    return passDown(irp);
  }

  // Start ---------------------------------------------------------------------------------------

  private NtStatus start(Irp irp) {
    WdfDevicePnpState now = state();
    NtStatus status = sendDownAndWait(irp);
    if (status.isSuccess() && (now == WdfDevicePnpState.INIT || now == WdfDevicePnpState.STOPPED)) {
      status = powerUp(now == WdfDevicePnpState.INIT ? WdfPowerDeviceState.D3_FINAL : WdfPowerDeviceState.D3);
    } else if (!status.isSuccess() && (now == WdfDevicePnpState.INIT || now == WdfDevicePnpState.STOPPED)) {
      transition(WdfDevicePnpState.FAILED_START);
    }
    irp.ioStatus().setStatus(status);
    globals.services.completeRequest(irp, 0);
    return status;
  }

  /**
   * EvtDevicePrepareHardware, EvtDeviceD0Entry, then the queues present: the device is {@link
   * WdfDevicePnpState#STARTED}. On a callback's failure the device is {@link
   * WdfDevicePnpState#FAILED_START} and ReleaseHardware ran if PrepareHardware did.
   */
  private NtStatus powerUp(WdfPowerDeviceState previous) {
    NtStatus status = NtStatus.STATUS_SUCCESS;
    if (callbacks.prepareHardware() != null) {
      status = callbacks.prepareHardware().prepareHardware(device);
    }
    if (status.isSuccess() && callbacks.d0Entry() != null) {
      status = callbacks.d0Entry().d0Entry(device, previous);
    }
    if (!status.isSuccess()) {
      // KMDF calls EvtDeviceReleaseHardware whenever it called EvtDevicePrepareHardware.
      releaseHardware();
      transition(WdfDevicePnpState.FAILED_START);
      return status;
    }
    transition(WdfDevicePnpState.STARTED);
    synchronized (this) {
      everStarted = true;
    }
    for (WdfIoQueue queue : device.liveQueues()) {
      queue.powerUp();
    }
    return NtStatus.STATUS_SUCCESS;
  }

  /** The queues hold (a stop) or purge (a removal), then EvtDeviceD0Exit, then ReleaseHardware. */
  private void powerDown(WdfPowerDeviceState target, boolean purge) {
    if (purge) {
      purgeQueues();
    } else {
      for (WdfIoQueue queue : device.liveQueues()) {
        queue.hold();
      }
    }
    if (callbacks.d0Exit() != null) {
      callbacks.d0Exit().d0Exit(device, target);
    }
    releaseHardware();
  }

  private void releaseHardware() {
    if (callbacks.releaseHardware() != null) {
      callbacks.releaseHardware().releaseHardware(device);
    }
  }

  private void purgeQueues() {
    for (WdfIoQueue queue : device.liveQueues()) {
      queue.purge();
    }
  }

  /**
   * Sends the request to the device below and waits for it to come back: KMDF's {@code
   * SendIrpSynchronously}. The completion routine stops completion, so the request is this
   * driver's again to complete.
   */
  private NtStatus sendDownAndWait(Irp irp) {
    DeviceObject below = lower();
    if (below == null) {
      return NtStatus.STATUS_NO_SUCH_DEVICE;
    }
    CompletableFuture<NtStatus> back = new CompletableFuture<>();
    irp.copyCurrentStackLocationToNext();
    irp.setCompletionRoutine((d, i, context) -> {
      back.complete(i.ioStatus().status());
      return NtStatus.STATUS_MORE_PROCESSING_REQUIRED;
    }, null, true, true, true);
    globals.services.callDriver(below, irp);
    return back.join(); // not interruptible, as KMDF's wait on its event is not
  }

  // Removal -------------------------------------------------------------------------------------

  private NtStatus remove(Irp irp) {
    WdfDevicePnpState now = state();
    if (now == WdfDevicePnpState.REMOVED) {
      return succeedAndPassDown(irp);
    }
    if (now.poweredUp()) {
      powerDown(WdfPowerDeviceState.D3_FINAL, true);
    } else {
      purgeQueues();
    }
    boolean started;
    synchronized (this) {
      started = everStarted;
    }
    if (started && callbacks.selfManagedIoCleanup() != null) {
      callbacks.selfManagedIoCleanup().selfManagedIoCleanup(device);
    }
    transition(WdfDevicePnpState.REMOVED);
    // O20: the WDFDEVICE's subtree is cleaned up (leaves first) and destroyed here, long before
    // the driver can unload.
    device.delete(false);
    FxControlDeviceRule.checkAfterRemove(globals);
    irp.ioStatus().setStatus(NtStatus.STATUS_SUCCESS);
    NtStatus status = passDown(irp);
    detach();
    globals.services.deleteDevice(device.wdmDevice());
    return status;
  }

  /**
   * Undoes a device EvtDriverDeviceAdd created before it failed. Models {@code
   * FxDevice::DeleteDeviceFromFailedCreate} (O20): the queues are purged, the WDFDEVICE's
   * subtree is deleted — the queue's cleanup before the device's — and the device object is
   * detached and deleted.
   */
  void deleteFromFailedAdd() {
    purgeQueues();
    transition(WdfDevicePnpState.REMOVED);
    device.delete(false);
    detach();
    globals.services.deleteDevice(device.wdmDevice());
  }
}
