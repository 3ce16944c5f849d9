package ntio.drivers.tidy;

import ntio.ddk.AccessMask;
import ntio.ddk.DriverObject;
import ntio.ddk.KernelServices;
import ntio.ddk.KernelServices.HandleResult;
import ntio.ddk.KernelServices.ValueResult;
import ntio.ddk.NtStatus;
import ntio.ddk.PoolBlock;
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
import ntio.framework.WdfMemory;
import ntio.framework.WdfObject;
import ntio.framework.WdfObjectAttributes;
import ntio.framework.WdfRequest;
import ntio.framework.WdfResult;

/**
 * The Tidy driver's image entry point ({@code Ntio-Driver-Entry} of {@code Tidy.jar}): a framework
 * driver that does what Leaky does and leaks nothing (see the package description).
 *
 * <p>DriverEntry, in order — the framework pattern (L8):
 *
 * <ol>
 *   <li>WdfDriverCreate, non-PnP, with EvtDriverUnload and a cleanup callback for the WDFDRIVER;
 *   <li>tracing (WPP init), cleaned up in that cleanup callback;
 *   <li>a WDFMEMORY parented to the driver: the global buffer, tagged {@code Tidy};
 *   <li>the control device {@code \Device\Tidy} with a sequential default queue, the link {@code
 *       \??\Tidy}, then opening it for clients;
 *   <li>if {@code Parameters\FailEntry} is non-zero, fail with {@code
 *       STATUS_INSUFFICIENT_RESOURCES} — where Leaky leaks, Tidy is torn down by the framework.
 * </ol>
 *
 * <p>The device keeps the last write: a write stores up to {@value TidyNames#BUFFER_SIZE} bytes
 * in the global buffer (the request's information says how many were kept), and a read returns
 * them. The queue is sequential, so requests never race on the buffer.
 *
 * <p>The instance lives for one load of the image; its fields are that load's driver globals.
 */
public final class TidyDriver extends WdfDriverEntry {

  private Wdf wdf;
  private InflightTrace trace;
  private WdfMemory buffer;
  /** Bytes the buffer holds; only the sequential queue's callbacks touch it, one at a time. */
  private int stored;

  /** Called by the loader, once per load of the image. */
  public TidyDriver() {}

  @Override
  protected NtStatus entry(Wdf wdf, DriverObject driver, UnicodeString registryPath) {
    this.wdf = wdf;
    WdfDriverConfig config = WdfDriverConfig.nonPnp().driverUnload(this::evtDriverUnload);
    WdfObjectAttributes driverAttributes = WdfObjectAttributes.init().cleanupCallback(this::evtDriverCleanup);
    WdfResult<WdfDriver> created = wdf.driverCreate(driver, registryPath, driverAttributes, config);
    if (!created.isSuccess()) {
      return created.status(); // nothing was set up yet, so nothing to undo
    }
    WdfDriver wdfDriver = created.handle();
    trace = InflightTrace.init(driver, registryPath);
    trace.trace("DriverEntry: bound, tag %08X", wdf.poolTag());

    WdfResult<WdfMemory> memory = wdf.memoryCreate(
        WdfObjectAttributes.init().parentObject(wdfDriver), PoolType.NON_PAGED, TidyNames.TAG,
        TidyNames.BUFFER_SIZE);
    if (!memory.isSuccess()) {
      return failed("WdfMemoryCreate", memory.status());
    }
    buffer = memory.handle();
    wdf.memoryGetBuffer(buffer).fill((byte) 0);

    NtStatus device = createControlDevice(wdfDriver);
    if (!device.isSuccess()) {
      return device;
    }

    if (failEntryRequested(driver.services(), registryPath)) {
      // Leaky's failure, without Leaky's leak: the framework deletes the WDFDRIVER's tree.
      return failed("FailEntry", NtStatus.STATUS_INSUFFICIENT_RESOURCES);
    }
    trace.trace("DriverEntry: loaded");
    return NtStatus.STATUS_SUCCESS;
  }

  private NtStatus createControlDevice(WdfDriver wdfDriver) {
    WdfDeviceInit init = wdf.controlDeviceInitAllocate(wdfDriver, TidyNames.SDDL);
    if (init == null) {
      return failed("WdfControlDeviceInitAllocate", NtStatus.STATUS_INSUFFICIENT_RESOURCES);
    }
    NtStatus named = wdf.deviceInitAssignName(init, TidyNames.DEVICE_NAME);
    if (!named.isSuccess()) {
      wdf.deviceInitFree(init);
      return failed("WdfDeviceInitAssignName", named);
    }
    WdfResult<WdfDevice> device = wdf.deviceCreate(init, WdfObjectAttributes.init());
    if (!device.isSuccess()) {
      wdf.deviceInitFree(init); // not consumed: the init is still the driver's
      return failed("WdfDeviceCreate", device.status());
    }
    WdfIoQueueConfig queueConfig = WdfIoQueueConfig.initDefaultQueue(WdfIoQueueConfig.DispatchType.SEQUENTIAL)
        .read(this::evtIoRead)
        .write(this::evtIoWrite);
    WdfResult<WdfIoQueue> queue = wdf.ioQueueCreate(device.handle(), queueConfig, WdfObjectAttributes.init());
    if (!queue.isSuccess()) {
      return failed("WdfIoQueueCreate", queue.status()); // the device goes with the WDFDRIVER
    }
    NtStatus link = wdf.deviceCreateSymbolicLink(device.handle(), TidyNames.LINK_NAME);
    if (!link.isSuccess()) {
      return failed("WdfDeviceCreateSymbolicLink", link);
    }
    wdf.controlFinishInitializing(device.handle());
    return NtStatus.STATUS_SUCCESS;
  }

  private NtStatus failed(String step, NtStatus status) {
    trace.trace("DriverEntry: %s failed with %s", step, status);
    return status;
  }

  /** Whether {@code <service key>\Parameters\FailEntry} is a non-zero DWORD. */
  private static boolean failEntryRequested(KernelServices services, UnicodeString registryPath) {
    if (registryPath == null) {
      return false;
    }
    HandleResult key = services.openKey(UnicodeString.of(registryPath.text() + "\\Parameters"), AccessMask.KEY_READ);
    if (!key.status().isSuccess()) {
      return false;
    }
    try {
      ValueResult value = services.queryValueKey(key.handle(), UnicodeString.of(TidyNames.FAIL_ENTRY));
      return value.status().isSuccess() && value.value().dwordValue().orElse(0) != 0;
    } finally {
      services.close(key.handle());
    }
  }

  // Queue callbacks -------------------------------------------------------------------------------

  private void evtIoWrite(WdfIoQueue queue, WdfRequest request, long length) {
    byte[] data = request.wdmIrp().systemBuffer();
    int kept = (int) Math.min(Math.min(length, data.length), TidyNames.BUFFER_SIZE);
    PoolBlock block = wdf.memoryGetBuffer(buffer);
    byte[] copy = new byte[kept];
    System.arraycopy(data, 0, copy, 0, kept);
    block.write(0, copy);
    stored = kept;
    trace.trace("write: kept %d of %d bytes", kept, length);
    wdf.requestCompleteWithInformation(request, NtStatus.STATUS_SUCCESS, kept);
  }

  private void evtIoRead(WdfIoQueue queue, WdfRequest request, long length) {
    byte[] out = request.wdmIrp().systemBuffer();
    int n = (int) Math.min(Math.min(length, out.length), stored);
    byte[] copy = new byte[n];
    wdf.memoryGetBuffer(buffer).read(0, copy);
    System.arraycopy(copy, 0, out, 0, n);
    trace.trace("read: returned %d bytes", n);
    wdf.requestCompleteWithInformation(request, NtStatus.STATUS_SUCCESS, n);
  }

  // Driver callbacks ------------------------------------------------------------------------------

  /** EvtDriverUnload: normal unload only. Nothing to free here — the framework deletes the tree. */
  private void evtDriverUnload(WdfDriver driver) {
    trace.trace("EvtDriverUnload");
  }

  /**
   * The WDFDRIVER's cleanup: runs at unload (after every child's cleanup) and after a failed
   * DriverEntry alike, so the trace is cleaned up exactly once on every path (L8, L9).
   */
  private void evtDriverCleanup(WdfObject driver) {
    trace.trace("WDFDRIVER cleanup: stopping the trace");
    trace.cleanup(((WdfDriver) driver).wdmDriverObject());
  }
}
