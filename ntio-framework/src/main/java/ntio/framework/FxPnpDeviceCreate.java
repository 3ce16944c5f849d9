package ntio.framework;

import ntio.ddk.DeviceFlags;
import ntio.ddk.DeviceObject;
import ntio.ddk.KernelServices;
import ntio.ddk.KernelServices.DeviceResult;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;

/**
 * {@code WdfDeviceCreate} of a PnP device — an FDO, or a filter — from the init EvtDriverDeviceAdd
 * was given. Models {@code FxDevice::_Create} with {@code FxDevice::FdoInitialize} (partial: no
 * device interfaces, no remove lock, no power-pageable inheritance):
 *
 * <ol>
 *   <li>(after {@link FxControlDeviceCreate#create}'s checks) the WDFDEVICE is allocated with its PnP package and the init's PnP/power callbacks;
 *   <li>its device object is created named as the init says, still initializing — a filter takes
 *       the device type and characteristics of the stack it joins, an FDO the init's;
 *   <li>it is attached to the PDO's stack ({@code IoAttachDeviceToDeviceStack}); a filter copies
 *       the lower device's buffered/direct I/O flags, an FDO is buffered;
 *   <li>it is committed under the WDFDRIVER (O3) and the init is consumed.
 * </ol>
 *
 * <p>On any failure nothing is left: the device object is detached and deleted, the WDFDEVICE
 * discarded without callbacks (O6), and the init stays the driver's. {@code DO_DEVICE_INITIALIZING}
 * is cleared by AddDevice after EvtDriverDeviceAdd returns success ({@link FxDriverAddDevice}).
 */
final class FxPnpDeviceCreate {

  private static final int IO_TYPE_FLAGS = DeviceFlags.DO_BUFFERED_IO | DeviceFlags.DO_DIRECT_IO;

  private FxPnpDeviceCreate() {}

  /** Goes on from {@link FxControlDeviceCreate#create}, which validated and allocated. */
  static WdfResult<WdfDevice> create(FxGlobals globals, WdfDeviceInit init, WdfObjectAttributes attributes,
      FxPool.Allocation allocation) {
    KernelServices services = globals.services;
    boolean filter = init.filter();
    WdfDevice device = new WdfDevice(globals, allocation, attributes, filter, init.pnpPowerCallbacks(),
        init.physicalDevice);
    int deviceType = init.deviceType();
    int characteristics = init.characteristics();
    int ioFlags = DeviceFlags.DO_BUFFERED_IO;
    if (filter) {
      DeviceObject top = services.getAttachedDeviceReference(init.physicalDevice);
      if (top == null) {
        device.discardFailedCreate();
        return WdfResult.failed(NtStatus.STATUS_NO_SUCH_DEVICE);
      }
      deviceType = top.deviceType();
      characteristics = top.characteristics();
      ioFlags = top.flags() & IO_TYPE_FLAGS;
      services.dereferenceObject(top);
    }
    String name = init.name();
    DeviceResult created = services.createDevice(globals.driverObject, device,
        name == null ? null : UnicodeString.of(name), deviceType, characteristics, init.exclusive());
    if (!created.status().isSuccess()) {
      device.discardFailedCreate();
      return WdfResult.failed(created.status());
    }
    device.attach(created.device());
    DeviceResult attached = services.attachDeviceToDeviceStack(created.device(), init.physicalDevice);
    if (!attached.status().isSuccess() || attached.device() == null) {
      device.discardFailedCreate(); // deletes the device object
      return WdfResult.failed(attached.status().isSuccess() ? NtStatus.STATUS_NO_SUCH_DEVICE : attached.status());
    }
    device.pnp().attached(attached.device());
    if (ioFlags != 0) {
      created.device().setFlags(ioFlags);
    }
    WdfResult<WdfDevice> result = Wdf.commit(device, init.driver, false);
    if (result.isSuccess()) {
      init.retire();
      init.setCreatedDevice(device);
    }
    return result;
  }
}
