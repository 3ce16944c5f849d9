package ntio.framework;

import java.util.ArrayList;
import java.util.List;

/**
 * The framework verifier's check of SDV's rule ControlDeviceDeleted (L4, D25): a PnP driver that
 * also created a control device is never unloaded while that control device exists, so it must
 * delete it — from a WDFDEVICE's cleanup or destroy callback, or from EvtDeviceSelfManagedIoCleanup
 * — by the time its last PnP device is removed.
 *
 * <p>[MODEL] KMDF does not check this at run time; SDV checks it statically. ntio checks it when the
 * last PnP WDFDEVICE of a driver with the verifier on has been removed and deleted: a control
 * device still alive then is what will keep the driver loaded, and the finding names it.
 */
final class FxControlDeviceRule {

  /** The check's id, as findings show it. */
  static final String CHECK = "V-KMDF-CONTROLDEVICEDELETED";

  private FxControlDeviceRule() {}

  /** After a PnP device's removal: reports control devices left when no PnP device is. */
  static void checkAfterRemove(FxGlobals globals) {
    if (!globals.settings.verifierOn()) {
      return;
    }
    WdfDriver driver = globals.driver();
    if (driver == null) {
      return;
    }
    List<WdfDevice> controls = new ArrayList<>();
    for (WdfObject child : driver.children()) {
      if (child instanceof WdfDevice device && device.state() == WdfObjectState.CREATED) {
        if (device.isControlDevice()) {
          controls.add(device);
        } else if (device.pnpState() != WdfDevicePnpState.REMOVED) {
          return; // a PnP device is still there: not the last removal
        }
      }
    }
    for (WdfDevice control : controls) {
      String name = control.wdmDevice().deviceName().orElse("(unnamed)");
      globals.verifierBreak(CHECK, "the driver's last PnP device was removed but its control device " + name
          + " (" + control + ") was not deleted: the driver can never be unloaded while it exists (L4)."
          + " SDV rule ControlDeviceDeleted: delete the control device from a WDFDEVICE cleanup or destroy"
          + " callback, or from EvtDeviceSelfManagedIoCleanup");
    }
  }
}
