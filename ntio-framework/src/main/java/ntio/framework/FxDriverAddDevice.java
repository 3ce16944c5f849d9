package ntio.framework;

import ntio.ddk.AddDevice;
import ntio.ddk.DeviceFlags;
import ntio.ddk.DeviceObject;
import ntio.ddk.DriverObject;
import ntio.ddk.NtStatus;

/**
 * The framework's AddDevice routine, which WdfDriverCreate installs for a PnP driver with
 * EvtDriverDeviceAdd. Models {@code FxDriver::AddDevice} ({@code shared/core/km/fxdriverkm.cpp};
 * full but for the tracing):
 *
 * <ol>
 *   <li>an init for the PDO, on AddDevice's stack, is handed to EvtDriverDeviceAdd;
 *   <li>no WDFDEVICE created: EvtDriverDeviceAdd's status is AddDevice's, except that a filter's
 *       failure becomes success (a filter may not stop the stack from being built);
 *   <li>created and success: {@code DO_DEVICE_INITIALIZING} is cleared ({@code
 *       FinishInitializing}), the stack may be used;
 *   <li>created and failure: the WDFDEVICE is deleted as {@code DeleteDeviceFromFailedCreate}
 *       does (O20) — the driver's cleanup and destroy callbacks run, the queue's before the
 *       device's, and the device object is detached and deleted — and the failure is returned.
 *       The driver itself is untouched: whether it stays loaded is the PnP manager's decision.
 * </ol>
 */
final class FxDriverAddDevice implements AddDevice {

  private final FxGlobals globals;
  private final WdfDriverConfig.DeviceAddCallback deviceAdd;

  FxDriverAddDevice(FxGlobals globals, WdfDriverConfig.DeviceAddCallback deviceAdd) {
    this.globals = globals;
    this.deviceAdd = deviceAdd;
  }

  @Override
  public NtStatus addDevice(DriverObject driverObject, DeviceObject physicalDevice) {
    WdfDriver driver = globals.driver();
    if (driver == null || driverObject != globals.driverObject) {
      return NtStatus.STATUS_UNSUCCESSFUL;
    }
    WdfDeviceInit init = WdfDeviceInit.forPnp(globals, driver, physicalDevice);
    NtStatus status = deviceAdd.deviceAdd(driver, init);
    // The init lived on AddDevice's stack: it is gone now, whatever the driver did with it.
    init.retire();
    WdfDevice created = init.createdDevice();
    if (created == null) {
      return init.filter() && !status.isSuccess() ? NtStatus.STATUS_SUCCESS : status;
    }
    if (status.isSuccess()) {
      created.wdmDevice().clearFlags(DeviceFlags.DO_DEVICE_INITIALIZING);
    } else {
      created.pnp().deleteFromFailedAdd();
    }
    return status;
  }
}
