package ntio.framework;

import ntio.ddk.DeviceFlags;
import ntio.ddk.KernelServices.DeviceResult;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;
import ntio.framework.FxValidation.ParentRule;

/**
 * Creating a device from its init: the init's checks and {@code WdfDeviceCreate}'s steps, all of
 * them for a control device; a PnP device's own steps are {@link FxPnpDeviceCreate}'s. Models
 * {@code FxDevice::_Create} and {@code FxDeviceInit}'s life (partial; O3: the parent is always the
 * WDFDRIVER). The DDIs themselves are {@link Wdf}'s.
 */
final class FxControlDeviceCreate {

  private FxControlDeviceCreate() {}

  /** {@code init}, if it is a live init of this driver; else bug check 0x10D (required parameter). */
  static WdfDeviceInit liveInit(FxGlobals globals, WdfDeviceInit init, String ddi) {
    if (init == null || init.globals != globals || init.isGone()) {
      throw globals.bugCheck(FxGlobals.WDF_REQUIRED_PARAMETER_IS_NULL, 0, 0,
          ddi + ": DeviceInit is NULL, another driver's, or already consumed or freed");
    }
    return init;
  }

  /**
   * {@code WdfDeviceCreate}: validates the attributes and allocates the WDFDEVICE; for the init
   * EvtDriverDeviceAdd was given, goes on as {@link FxPnpDeviceCreate} says; for a control device, creates its device object named as the init says, buffered and still initializing,
   * commits it under the WDFDRIVER and, on success, consumes the init.
   */
  static WdfResult<WdfDevice> create(FxGlobals globals, WdfDeviceInit init, WdfObjectAttributes attributes) {
    liveInit(globals, init, "WdfDeviceCreate");
    NtStatus valid = FxValidation.attributes(globals, attributes, WdfHandleType.WDFDEVICE, ParentRule.NOT_ALLOWED);
    if (!valid.isSuccess()) {
      return WdfResult.failed(valid);
    }
    FxPool.Allocation allocation = globals.allocate(FxGlobals.OBJECT_HEADER_SIZE, "WDFDEVICE");
    if (allocation == null) {
      return WdfResult.failed(NtStatus.STATUS_INSUFFICIENT_RESOURCES);
    }
    if (init.isPnp()) {
      return FxPnpDeviceCreate.create(globals, init, attributes, allocation);
    }
    WdfDevice device = new WdfDevice(globals, allocation, attributes, true);
    String name = init.name();
    DeviceResult created = globals.services.createDevice(globals.driverObject, device,
        name == null ? null : UnicodeString.of(name), init.deviceType(), init.characteristics(), init.exclusive());
    if (!created.status().isSuccess()) {
      device.discardFailedCreate();
      return WdfResult.failed(created.status());
    }
    device.attach(created.device());
    created.device().setFlags(DeviceFlags.DO_BUFFERED_IO);
    WdfResult<WdfDevice> result = Wdf.commit(device, init.driver, false);
    if (result.isSuccess() && init.retire()) {
      globals.pool.free(init.allocation);
    }
    return result;
  }
}
