package ntio.drivers.toaster.func;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import ntio.ddk.DeviceTypes;
import ntio.ddk.DriverObject;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;
import ntio.framework.ContextType;
import ntio.framework.InflightTrace;
import ntio.framework.Wdf;
import ntio.framework.WdfDevice;
import ntio.framework.WdfDeviceInit;
import ntio.framework.WdfDriver;
import ntio.framework.WdfDriverConfig;
import ntio.framework.WdfDriverEntry;
import ntio.framework.WdfIoQueue;
import ntio.framework.WdfIoQueueConfig;
import ntio.framework.WdfObject;
import ntio.framework.WdfObjectAttributes;
import ntio.framework.WdfPnpPowerEventCallbacks;
import ntio.framework.WdfPowerDeviceState;
import ntio.framework.WdfRequest;
import ntio.framework.WdfResult;

/**
 * The Toaster function driver's image entry point ({@code Ntio-Driver-Entry} of {@code
 * Toaster.jar}); see the package description.
 *
 * <p>DriverEntry creates the WDFDRIVER — a PnP driver with EvtDriverDeviceAdd and EvtDriverUnload —
 * and starts its trace, which the WDFDRIVER's cleanup stops. Everything else happens per device,
 * in {@link #evtDeviceAdd} and the device's callbacks; every step is traced with the device's
 * name, so that the framework's order (add, PrepareHardware, D0Entry; then D0Exit,
 * ReleaseHardware, the device's cleanup; EvtDriverUnload last) can be watched.
 *
 * <p>The instance lives for one load of the image; its fields are that load's driver globals.
 */
public final class ToasterDriver extends WdfDriverEntry {

  private static final ContextType<ToasterDevice> CONTEXT =
      ContextType.declare("TOASTER_DEVICE_CONTEXT", ToasterDevice.class, ToasterDevice::new);

  private Wdf wdf;
  private InflightTrace trace;

  /** Called by the loader, once per load of the image. */
  public ToasterDriver() {}

  @Override
  protected NtStatus entry(Wdf wdf, DriverObject driver, UnicodeString registryPath) {
    this.wdf = wdf;
    WdfDriverConfig config = WdfDriverConfig.init(this::evtDeviceAdd)
        .driverUnload(this::evtDriverUnload)
        .driverPoolTag(ToasterNames.TAG);
    WdfResult<WdfDriver> created = wdf.driverCreate(driver, registryPath,
        WdfObjectAttributes.init().cleanupCallback(this::evtDriverCleanup), config);
    if (!created.isSuccess()) {
      return created.status();
    }
    trace = InflightTrace.init(driver, registryPath);
    trace.trace("DriverEntry: loaded");
    return NtStatus.STATUS_SUCCESS;
  }

  // Adding a device ---------------------------------------------------------------------------------

  /**
   * EvtDriverDeviceAdd: the FDO {@code \Device\Toaster<n>} for the first free n, its PnP/power
   * callbacks, a sequential default queue, the link {@code \DosDevices\Toaster<n>}. A failure after
   * the WDFDEVICE exists needs no undoing here: the framework deletes it with its queue.
   */
  private NtStatus evtDeviceAdd(WdfDriver driver, WdfDeviceInit init) {
    wdf.pnp().deviceInitSetPnpPowerEventCallbacks(init, WdfPnpPowerEventCallbacks.init()
        .prepareHardware(this::evtPrepareHardware)
        .releaseHardware(this::evtReleaseHardware)
        .d0Entry(this::evtD0Entry)
        .d0Exit(this::evtD0Exit));
    wdf.deviceInitSetDeviceType(init, DeviceTypes.FILE_DEVICE_UNKNOWN);
    WdfDevice device = null;
    int instance = 0;
    while (device == null) {
      if (instance == ToasterNames.MAX_INSTANCES) {
        return failed("WdfDeviceCreate", NtStatus.STATUS_OBJECT_NAME_COLLISION);
      }
      NtStatus named = wdf.deviceInitAssignName(init, ToasterNames.DEVICE_PREFIX + instance);
      if (!named.isSuccess()) {
        return failed("WdfDeviceInitAssignName", named);
      }
      WdfResult<WdfDevice> created = wdf.deviceCreate(init,
          WdfObjectAttributes.withContext(CONTEXT).cleanupCallback(this::evtDeviceCleanup));
      if (created.isSuccess()) {
        device = created.handle();
      } else if (created.status().equals(NtStatus.STATUS_OBJECT_NAME_COLLISION)) {
        instance++; // another toaster has this name: try the next
      } else {
        return failed("WdfDeviceCreate", created.status());
      }
    }
    context(device).instance = instance;

    WdfIoQueueConfig queueConfig = WdfIoQueueConfig.initDefaultQueue(WdfIoQueueConfig.DispatchType.SEQUENTIAL)
        .read(this::evtIoRead)
        .write(this::evtIoWrite)
        .deviceControl(this::evtIoDeviceControl);
    WdfResult<WdfIoQueue> queue = wdf.ioQueueCreate(device, queueConfig, WdfObjectAttributes.init());
    if (!queue.isSuccess()) {
      return failed("WdfIoQueueCreate", queue.status());
    }
    NtStatus link = wdf.deviceCreateSymbolicLink(device, ToasterNames.LINK_PREFIX + instance);
    if (!link.isSuccess()) {
      return failed("WdfDeviceCreateSymbolicLink", link);
    }
    trace.trace("EvtDriverDeviceAdd: Toaster%d", instance);
    return NtStatus.STATUS_SUCCESS;
  }

  private NtStatus failed(String step, NtStatus status) {
    trace.trace("EvtDriverDeviceAdd: %s failed with %s", step, status);
    return status;
  }

  private ToasterDevice context(WdfDevice device) {
    return wdf.objectGetTypedContext(device, CONTEXT);
  }

  // PnP and power -----------------------------------------------------------------------------------

  private NtStatus evtPrepareHardware(WdfDevice device) {
    ToasterDevice toaster = context(device);
    toaster.hardwareReady = true;
    trace.trace("EvtDevicePrepareHardware: Toaster%d", toaster.instance);
    return NtStatus.STATUS_SUCCESS;
  }

  private NtStatus evtD0Entry(WdfDevice device, WdfPowerDeviceState previous) {
    ToasterDevice toaster = context(device);
    toaster.d0Entries++;
    trace.trace("EvtDeviceD0Entry: Toaster%d from %s", toaster.instance, previous);
    return NtStatus.STATUS_SUCCESS;
  }

  private NtStatus evtD0Exit(WdfDevice device, WdfPowerDeviceState target) {
    trace.trace("EvtDeviceD0Exit: Toaster%d to %s", context(device).instance, target);
    return NtStatus.STATUS_SUCCESS;
  }

  private NtStatus evtReleaseHardware(WdfDevice device) {
    ToasterDevice toaster = context(device);
    toaster.hardwareReady = false;
    trace.trace("EvtDeviceReleaseHardware: Toaster%d", toaster.instance);
    return NtStatus.STATUS_SUCCESS;
  }

  private void evtDeviceCleanup(WdfObject device) {
    trace.trace("WDFDEVICE cleanup: Toaster%d", context((WdfDevice) device).instance);
  }

  // Queue callbacks ---------------------------------------------------------------------------------

  private void evtIoWrite(WdfIoQueue queue, WdfRequest request, long length) {
    ToasterDevice toaster = context(queue.device());
    byte[] data = request.wdmIrp().systemBuffer();
    int kept = (int) Math.min(Math.min(length, data.length), ToasterNames.BUFFER_SIZE);
    System.arraycopy(data, 0, toaster.kept, 0, kept);
    toaster.stored = kept;
    wdf.requestCompleteWithInformation(request, NtStatus.STATUS_SUCCESS, kept);
  }

  private void evtIoRead(WdfIoQueue queue, WdfRequest request, long length) {
    ToasterDevice toaster = context(queue.device());
    byte[] out = request.wdmIrp().systemBuffer();
    int n = (int) Math.min(Math.min(length, out.length), toaster.stored);
    System.arraycopy(toaster.kept, 0, out, 0, n);
    wdf.requestCompleteWithInformation(request, NtStatus.STATUS_SUCCESS, n);
  }

  private void evtIoDeviceControl(WdfIoQueue queue, WdfRequest request, long outputLength, long inputLength,
      int ioControlCode) {
    if (ioControlCode != ToasterNames.IOCTL_TOASTER_GET_STATE) {
      wdf.requestComplete(request, NtStatus.STATUS_INVALID_DEVICE_REQUEST);
      return;
    }
    if (outputLength < ToasterNames.STATE_SIZE) {
      wdf.requestComplete(request, NtStatus.STATUS_BUFFER_TOO_SMALL);
      return;
    }
    ToasterDevice toaster = context(queue.device());
    ByteBuffer state = ByteBuffer.wrap(request.wdmIrp().systemBuffer()).order(ByteOrder.LITTLE_ENDIAN);
    state.putInt(toaster.instance).putInt(toaster.d0Entries).putInt(toaster.stored);
    wdf.requestCompleteWithInformation(request, NtStatus.STATUS_SUCCESS, ToasterNames.STATE_SIZE);
  }

  // Driver callbacks --------------------------------------------------------------------------------

  /** EvtDriverUnload: runs after the PnP manager removed the last toaster. */
  private void evtDriverUnload(WdfDriver driver) {
    trace.trace("EvtDriverUnload");
  }

  /** The WDFDRIVER's cleanup: stops the trace, on unload and on a failed DriverEntry alike (L8). */
  private void evtDriverCleanup(WdfObject driver) {
    if (trace != null) {
      trace.trace("WDFDRIVER cleanup: stopping the trace");
      trace.cleanup(((WdfDriver) driver).wdmDriverObject());
    }
  }
}
