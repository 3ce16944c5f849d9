package ntio.framework;

import ntio.ddk.DeviceObject;

/**
 * The framework's PnP DDIs as one bound driver sees them: those of {@code wdffdo.h} and the PnP
 * part of {@code wdfdevice.h}. Reached through {@link Wdf#pnp()}; each method is named after its
 * DDI without the {@code Wdf} prefix and says whether it models it in full or in part. Misuse KMDF
 * treats as fatal is a bug check, as for every DDI of {@link Wdf}. Thread-safe.
 */
public final class WdfPnp {

  private final FxGlobals globals;

  WdfPnp(FxGlobals globals) {
    this.globals = globals;
  }

  /** {@code init} if it is a live PnP device's init of this driver; else bug check 0x10D. */
  private WdfDeviceInit pnpInit(WdfDeviceInit init, String ddi) {
    FxControlDeviceCreate.liveInit(globals, init, ddi);
    if (!init.isPnp()) {
      throw globals.bugCheck(FxGlobals.WDF_REQUIRED_PARAMETER_IS_NULL, 0, 0,
          ddi + ": DeviceInit is a control device's, not the one EvtDriverDeviceAdd was given");
    }
    return init;
  }

  /**
   * Makes the device a filter: it passes down every request it has no queue for, its queues are
   * not power-managed, and its failure to add does not stop the stack. Models {@code
   * WdfFdoInitSetFilter} (full).
   */
  public void fdoInitSetFilter(WdfDeviceInit init) {
    pnpInit(init, "WdfFdoInitSetFilter").setFilter(true);
  }

  /** The PDO the device is being added to. Models {@code WdfFdoInitWdmGetPhysicalDevice} (full). */
  public DeviceObject fdoInitWdmGetPhysicalDevice(WdfDeviceInit init) {
    return pnpInit(init, "WdfFdoInitWdmGetPhysicalDevice").physicalDevice;
  }

  /**
   * Sets the device's PnP and power callbacks (a copy of {@code callbacks}). Models {@code
   * WdfDeviceInitSetPnpPowerEventCallbacks} (partial: see {@link WdfPnpPowerEventCallbacks}).
   */
  public void deviceInitSetPnpPowerEventCallbacks(WdfDeviceInit init, WdfPnpPowerEventCallbacks callbacks) {
    if (callbacks == null) {
      throw globals.bugCheck(FxGlobals.WDF_REQUIRED_PARAMETER_IS_NULL, 0, 0,
          "WdfDeviceInitSetPnpPowerEventCallbacks: PnpPowerEventCallbacks is NULL");
    }
    pnpInit(init, "WdfDeviceInitSetPnpPowerEventCallbacks").setPnpPowerCallbacks(callbacks);
  }

  /**
   * The device the WDFDEVICE is attached to, null for a control device or once it is detached.
   * Models {@code WdfDeviceWdmGetAttachedDevice} (full).
   */
  public DeviceObject deviceWdmGetAttachedDevice(WdfDevice device) {
    WdfDevice live = (WdfDevice) FxValidation.handle(globals, device, WdfHandleType.WDFDEVICE,
        "WdfDeviceWdmGetAttachedDevice");
    return live.pnp() == null ? null : live.pnp().lower();
  }

  /** The PDO of the device's stack, null for a control device. Models {@code WdfDeviceWdmGetPhysicalDevice} (full). */
  public DeviceObject deviceWdmGetPhysicalDevice(WdfDevice device) {
    WdfDevice live = (WdfDevice) FxValidation.handle(globals, device, WdfHandleType.WDFDEVICE,
        "WdfDeviceWdmGetPhysicalDevice");
    return live.pnp() == null ? null : live.pnp().physicalDevice();
  }
}
