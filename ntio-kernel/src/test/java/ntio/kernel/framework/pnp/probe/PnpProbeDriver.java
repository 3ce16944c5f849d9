package ntio.kernel.framework.pnp.probe;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import ntio.ddk.AccessMask;
import ntio.ddk.DriverObject;
import ntio.ddk.KernelServices;
import ntio.ddk.KernelServices.HandleResult;
import ntio.ddk.KernelServices.ValueResult;
import ntio.ddk.NtStatus;
import ntio.ddk.PoolType;
import ntio.ddk.UnicodeString;
import ntio.framework.InflightTrace;
import ntio.framework.Wdf;
import ntio.framework.WdfDevice;
import ntio.framework.WdfDeviceInit;
import ntio.framework.WdfDriver;
import ntio.framework.WdfDriverConfig;
import ntio.framework.WdfDriverEntry;
import ntio.framework.WdfIoQueue;
import ntio.framework.WdfIoQueueConfig;
import ntio.framework.WdfIoQueueConfig.DispatchType;
import ntio.framework.WdfMemory;
import ntio.framework.WdfObjectAttributes;
import ntio.framework.WdfPnpPowerEventCallbacks;
import ntio.framework.WdfRequest;
import ntio.framework.WdfResult;

/**
 * A framework PnP driver image for the framework's PnP tests: it traces every callback it gets, in
 * order, as one line each ({@code kernel.io().traceEvents()}), and behaves as its service's {@code
 * Parameters} DWORDs say. It links against the DDK and the framework only, as any image must.
 *
 * <p>EvtDriverDeviceAdd creates the FDO {@code \Device\<service><n>} for its n-th device, from 0
 * (link {@code \DosDevices\<service><n>}) — a filter with {@code Filter} — with a default queue — sequential, completing reads at once, or with
 * {@code ManualQueue} manual, so that requests wait in it — and a WDFMEMORY parented to the
 * device; every one of them has cleanup and destroy callbacks. {@code FailAddAfterQueue} makes
 * EvtDriverDeviceAdd fail after creating the device, the queue and the memory; {@code
 * FailPrepareHardware} and {@code FailD0Entry} fail those callbacks; {@code ControlDevice} makes
 * DriverEntry create the control device {@code \Device\<service>Control}, which the driver never
 * deletes. The flags are read again at each EvtDriverDeviceAdd.
 */
public final class PnpProbeDriver extends WdfDriverEntry {

  /** Fails EvtDriverDeviceAdd with this status, after creating the device and its queue. */
  public static final NtStatus ADD_FAILURE = NtStatus.STATUS_INSUFFICIENT_RESOURCES;
  /** What a failing PrepareHardware or D0Entry returns. */
  public static final NtStatus START_FAILURE = NtStatus.STATUS_DEVICE_NOT_READY;

  /** The behaviours {@code Parameters} may switch on. */
  private static final List<String> FLAGS =
      List.of("ManualQueue", "FailAddAfterQueue", "FailPrepareHardware", "FailD0Entry", "ControlDevice", "Filter");

  private Wdf wdf;
  private InflightTrace trace;
  private KernelServices services;
  private UnicodeString registryPath;
  private Set<String> flags;
  private String service;
  /** Devices added so far: the next one is {@code \Device\<service><added>}. */
  private int added;

  public PnpProbeDriver() {}

  @Override
  protected NtStatus entry(Wdf wdf, DriverObject driver, UnicodeString registryPath) {
    this.wdf = wdf;
    this.services = driver.services();
    this.registryPath = registryPath;
    this.flags = readFlags(services, registryPath);
    this.service = registryPath.text().substring(registryPath.text().lastIndexOf('\\') + 1);
    WdfResult<WdfDriver> created = wdf.driverCreate(driver, registryPath, WdfObjectAttributes.init()
            .cleanupCallback(d -> {
              trace.trace("cleanup(driver)");
              trace.cleanup(driver);
            }),
        WdfDriverConfig.init(this::evtDeviceAdd).driverUnload(d -> trace.trace("EvtDriverUnload")));
    if (!created.isSuccess()) {
      return created.status();
    }
    trace = InflightTrace.init(driver, registryPath);
    if (flag("ControlDevice")) {
      WdfDeviceInit init = wdf.controlDeviceInitAllocate(created.handle(), "D:P(A;;GA;;;SY)");
      wdf.deviceInitAssignName(init, "\\Device\\" + service + "Control");
      WdfResult<WdfDevice> control = wdf.deviceCreate(init, WdfObjectAttributes.init());
      if (!control.isSuccess()) {
        wdf.deviceInitFree(init);
        return control.status();
      }
      wdf.controlFinishInitializing(control.handle());
      trace.trace("control device created");
    }
    return NtStatus.STATUS_SUCCESS;
  }

  private NtStatus evtDeviceAdd(WdfDriver driver, WdfDeviceInit init) {
    trace.trace("EvtDriverDeviceAdd");
    flags = readFlags(services, registryPath); // a test may switch a behaviour on between two adds
    String name = service + added++;
    if (flag("Filter")) {
      wdf.pnp().fdoInitSetFilter(init);
    }
    wdf.pnp().deviceInitSetPnpPowerEventCallbacks(init, WdfPnpPowerEventCallbacks.init()
        .prepareHardware(d -> {
          trace.trace("EvtDevicePrepareHardware");
          return flag("FailPrepareHardware") ? START_FAILURE : NtStatus.STATUS_SUCCESS;
        })
        .d0Entry((d, previous) -> {
          trace.trace("EvtDeviceD0Entry(" + previous + ")");
          return flag("FailD0Entry") ? START_FAILURE : NtStatus.STATUS_SUCCESS;
        })
        .d0Exit((d, target) -> {
          trace.trace("EvtDeviceD0Exit(" + target + ")");
          return NtStatus.STATUS_SUCCESS;
        })
        .releaseHardware(d -> {
          trace.trace("EvtDeviceReleaseHardware");
          return NtStatus.STATUS_SUCCESS;
        })
        .selfManagedIoCleanup(d -> trace.trace("EvtDeviceSelfManagedIoCleanup")));
    wdf.deviceInitAssignName(init, "\\Device\\" + name);
    WdfResult<WdfDevice> device = wdf.deviceCreate(init, tracked("device"));
    if (!device.isSuccess()) {
      return device.status();
    }
    if (!flag("Filter")) { // a filter without a queue passes every request down
      WdfIoQueueConfig config = flag("ManualQueue")
          ? WdfIoQueueConfig.initDefaultQueue(DispatchType.MANUAL)
          : WdfIoQueueConfig.initDefaultQueue(DispatchType.SEQUENTIAL).read(this::evtIoRead);
      WdfResult<WdfIoQueue> queue = wdf.ioQueueCreate(device.handle(), config, tracked("queue"));
      if (!queue.isSuccess()) {
        return queue.status();
      }
    }
    WdfResult<WdfMemory> memory = wdf.memoryCreate(tracked("memory").parentObject(device.handle()),
        PoolType.NON_PAGED, 0, 16);
    if (!memory.isSuccess()) {
      return memory.status();
    }
    NtStatus link = wdf.deviceCreateSymbolicLink(device.handle(), "\\DosDevices\\" + name);
    if (!link.isSuccess()) {
      return link;
    }
    if (flag("FailAddAfterQueue")) {
      trace.trace("EvtDriverDeviceAdd fails");
      return ADD_FAILURE;
    }
    return NtStatus.STATUS_SUCCESS;
  }

  private void evtIoRead(WdfIoQueue queue, WdfRequest request, long length) {
    trace.trace("EvtIoRead");
    wdf.requestCompleteWithInformation(request, NtStatus.STATUS_SUCCESS, 0);
  }

  /** Attributes whose cleanup and destroy callbacks trace {@code cleanup(<what>)} / {@code destroy(<what>)}. */
  private WdfObjectAttributes tracked(String what) {
    return WdfObjectAttributes.init()
        .cleanupCallback(o -> trace.trace("cleanup(" + what + ")"))
        .destroyCallback(o -> trace.trace("destroy(" + what + ")"));
  }

  /** Whether {@code name} was a non-zero DWORD in {@code Parameters} when the driver loaded. */
  private boolean flag(String name) {
    return flags.contains(name);
  }

  /** The {@link #FLAGS} set to a non-zero DWORD under {@code Parameters}. */
  private static Set<String> readFlags(KernelServices services, UnicodeString registryPath) {
    Set<String> set = new HashSet<>();
    HandleResult parameters = services.openKey(UnicodeString.of(registryPath.text() + "\\Parameters"),
        AccessMask.KEY_READ);
    if (parameters.status().isSuccess()) {
      for (String name : FLAGS) {
        ValueResult dword = services.queryValueKey(parameters.handle(), UnicodeString.of(name));
        if (dword.status().isSuccess() && dword.value().dwordValue().orElse(0) != 0) {
          set.add(name);
        }
      }
      services.close(parameters.handle());
    }
    return set;
  }
}
