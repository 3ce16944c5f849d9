#set( $BS = '\' )
#if( $framework == "true" )
package ${package};

import ntio.ddk.DriverObject;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;
import ntio.framework.Wdf;
import ntio.framework.WdfDevice;
import ntio.framework.WdfDeviceInit;
import ntio.framework.WdfDriver;
import ntio.framework.WdfDriverConfig;
import ntio.framework.WdfDriverEntry;
import ntio.framework.WdfIoQueue;
import ntio.framework.WdfIoQueueConfig;
import ntio.framework.WdfObjectAttributes;
import ntio.framework.WdfRequest;
import ntio.framework.WdfResult;

/**
 * The ${driverName} driver's image entry point ({@code Ntio-Driver-Entry} of {@code ${driverName}.jar}):
 * a framework (KMDF-style) driver, see docs/framework.md.
 *
 * <p>DriverEntry creates the WDFDRIVER first, then the control device {@code ${BS}Device${BS}${driverName}}
 * with a parallel default queue and the link {@code ${BS}??${BS}${driverName}}. The framework answers
 * create and close itself, and hands reads, writes and device controls to the queue's callbacks:
 *
 * <ul>
 *   <li>a write keeps its first {@link ${driverName}Ioctl#CAPACITY} bytes ({@code Information}: how
 *       many were kept);
 *   <li>a read returns up to its length of them;
 *   <li>{@link ${driverName}Ioctl#IOCTL_QUERY_STORED} says how many bytes are held.
 * </ul>
 *
 * <p>The framework's I/O is always buffered: the request's IRP carries the system buffer. Nothing
 * needs undoing by hand: on a failed DriverEntry and at unload the framework deletes the
 * WDFDRIVER's tree, the device, its queue and its link with it.
 */
public final class ${driverName}Driver extends WdfDriverEntry {

  /** Who may open the device: System and administrators all, everyone read and write. */
  private static final String SDDL = "D:P(A;;GA;;;SY)(A;;GA;;;BA)(A;;GRGW;;;WD)";

  private final ${driverName}Store store = new ${driverName}Store();
  private Wdf wdf;

  /** Called by the loader, once per load of the image. */
  public ${driverName}Driver() {}

  @Override
  protected NtStatus entry(Wdf wdf, DriverObject driver, UnicodeString registryPath) {
    this.wdf = wdf;
    WdfResult<WdfDriver> created = wdf.driverCreate(driver, registryPath,
        WdfObjectAttributes.init(), WdfDriverConfig.nonPnp().driverUnload(this::evtDriverUnload));
    if (!created.isSuccess()) {
      return created.status(); // nothing was set up yet, so nothing to undo
    }
    WdfDeviceInit init = wdf.controlDeviceInitAllocate(created.handle(), SDDL);
    if (init == null) {
      return NtStatus.STATUS_INSUFFICIENT_RESOURCES;
    }
    NtStatus named = wdf.deviceInitAssignName(init, ${driverName}Ioctl.DEVICE_NAME);
    if (!named.isSuccess()) {
      wdf.deviceInitFree(init);
      return named;
    }
    WdfResult<WdfDevice> device = wdf.deviceCreate(init, WdfObjectAttributes.init());
    if (!device.isSuccess()) {
      wdf.deviceInitFree(init); // not consumed: the init is still the driver's
      return device.status();
    }
    WdfIoQueueConfig queue =
        WdfIoQueueConfig.initDefaultQueue(WdfIoQueueConfig.DispatchType.PARALLEL)
            .read(this::evtIoRead)
            .write(this::evtIoWrite)
            .deviceControl(this::evtIoDeviceControl);
    WdfResult<WdfIoQueue> createdQueue = wdf.ioQueueCreate(device.handle(), queue, WdfObjectAttributes.init());
    if (!createdQueue.isSuccess()) {
      return createdQueue.status(); // the device goes with the WDFDRIVER
    }
    NtStatus link = wdf.deviceCreateSymbolicLink(device.handle(), ${driverName}Ioctl.LINK_NAME);
    if (!link.isSuccess()) {
      return link;
    }
    wdf.controlFinishInitializing(device.handle());
    return NtStatus.STATUS_SUCCESS;
  }

  /** EvtDriverUnload: nothing to free; the framework deletes the tree. Without it the driver could not be stopped. */
  private void evtDriverUnload(WdfDriver driver) {}

  private void evtIoWrite(WdfIoQueue queue, WdfRequest request, long length) {
    int kept = store.write(request.wdmIrp().systemBuffer(), (int) Math.min(length, Integer.MAX_VALUE));
    wdf.requestCompleteWithInformation(request, NtStatus.STATUS_SUCCESS, kept);
  }

  private void evtIoRead(WdfIoQueue queue, WdfRequest request, long length) {
    int n = store.read(request.wdmIrp().systemBuffer(), (int) Math.min(length, Integer.MAX_VALUE));
    wdf.requestCompleteWithInformation(request, NtStatus.STATUS_SUCCESS, n);
  }

  private void evtIoDeviceControl(WdfIoQueue queue, WdfRequest request, long outputBufferLength,
      long inputBufferLength, int ioControlCode) {
    if (ioControlCode != ${driverName}Ioctl.IOCTL_QUERY_STORED) {
      wdf.requestComplete(request, NtStatus.STATUS_INVALID_DEVICE_REQUEST);
      return;
    }
    int written = store.queryStored(request.wdmIrp().systemBuffer(),
        (int) Math.min(outputBufferLength, Integer.MAX_VALUE));
    if (written < 0) {
      wdf.requestComplete(request, NtStatus.STATUS_BUFFER_TOO_SMALL);
    } else {
      wdf.requestCompleteWithInformation(request, NtStatus.STATUS_SUCCESS, written);
    }
  }
}
#else
package ${package};

import ntio.ddk.DeviceFlags;
import ntio.ddk.DeviceObject;
import ntio.ddk.DeviceTypes;
import ntio.ddk.DispatchRoutine;
import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.DriverUnload;
import ntio.ddk.IoControlCodes;
import ntio.ddk.IoStackLocation;
import ntio.ddk.Irp;
import ntio.ddk.KernelServices;
import ntio.ddk.KernelServices.DeviceResult;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;

/**
 * The ${driverName} driver's image entry point ({@code Ntio-Driver-Entry} of {@code ${driverName}.jar}):
 * a legacy (WDM) driver, see docs/drivers.md.
 *
 * <p>DriverEntry creates {@code ${BS}Device${BS}${driverName}} (buffered I/O) whose device extension
 * is the store every open shares, and the link {@code ${BS}??${BS}${driverName}}; DriverUnload deletes
 * them again. Every request completes in its dispatch routine:
 *
 * <ul>
 *   <li>{@code IRP_MJ_CREATE}, {@code IRP_MJ_CLOSE}: succeed;
 *   <li>{@code IRP_MJ_WRITE}: keeps the first {@link ${driverName}Ioctl#CAPACITY} bytes
 *       ({@code Information}: how many were kept);
 *   <li>{@code IRP_MJ_READ}: returns up to {@code Length} of them;
 *   <li>{@code IRP_MJ_DEVICE_CONTROL}: answers {@link ${driverName}Ioctl#IOCTL_QUERY_STORED}.
 * </ul>
 *
 * <p>The driver object is its own dispatch and unload routine rather than a set of lambdas: each
 * load links the image's classes anew, and every lambda is one more class to link.
 */
public final class ${driverName}Driver implements DriverEntry, DispatchRoutine, DriverUnload {

  /** Called by the loader, once per load of the image. */
  public ${driverName}Driver() {}

  /**
   * Creates the device and its link and fills the dispatch table.
   *
   * @return {@code STATUS_SUCCESS}; or the status of the failed {@code IoCreateDevice} (nothing
   *     was created) or of the failed {@code IoCreateSymbolicLink} (the device was deleted again)
   */
  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    KernelServices services = driver.services();
    DeviceResult created = services.createDevice(driver, new ${driverName}Store(),
        UnicodeString.of(${driverName}Ioctl.DEVICE_NAME), DeviceTypes.FILE_DEVICE_UNKNOWN, 0, false);
    if (!created.status().isSuccess()) {
      return created.status(); // nothing to undo yet
    }
    DeviceObject device = created.device();
    // Buffered I/O: the I/O manager copies the caller's bytes into irp.systemBuffer() for a write,
    // and back out of it for a read. Without this flag the system buffer is empty.
    device.setFlags(DeviceFlags.DO_BUFFERED_IO);

    NtStatus linked = services.createSymbolicLink(
        UnicodeString.of(${driverName}Ioctl.LINK_NAME), UnicodeString.of(${driverName}Ioctl.DEVICE_NAME));
    if (!linked.isSuccess()) {
      services.deleteDevice(device); // DriverUnload never runs after a failed DriverEntry
      return linked;
    }
    driver.setMajorFunction(MajorFunctions.IRP_MJ_CREATE, this);
    driver.setMajorFunction(MajorFunctions.IRP_MJ_CLOSE, this);
    driver.setMajorFunction(MajorFunctions.IRP_MJ_READ, this);
    driver.setMajorFunction(MajorFunctions.IRP_MJ_WRITE, this);
    driver.setMajorFunction(MajorFunctions.IRP_MJ_DEVICE_CONTROL, this);
    driver.setDriverUnload(this);
    return NtStatus.STATUS_SUCCESS;
  }

  /** DriverUnload: the link first, so no new open finds the device while it goes, then the device. */
  @Override
  public void unload(DriverObject driver) {
    KernelServices services = driver.services();
    services.deleteSymbolicLink(UnicodeString.of(${driverName}Ioctl.LINK_NAME));
    services.deleteDevice(driver.deviceObject());
  }

  /** The dispatch routine of every major function the driver handles. */
  @Override
  public NtStatus dispatch(DeviceObject device, Irp irp) {
    ${driverName}Store store = device.deviceExtension(${driverName}Store.class);
    IoStackLocation stack = irp.currentStackLocation();
    return switch (stack.majorFunction()) {
      case MajorFunctions.IRP_MJ_WRITE ->
          complete(device, irp, NtStatus.STATUS_SUCCESS, store.write(irp.systemBuffer(), stack.length()));
      case MajorFunctions.IRP_MJ_READ ->
          complete(device, irp, NtStatus.STATUS_SUCCESS, store.read(irp.systemBuffer(), stack.length()));
      case MajorFunctions.IRP_MJ_DEVICE_CONTROL -> deviceControl(device, irp, store, stack);
      default -> complete(device, irp, NtStatus.STATUS_SUCCESS, 0); // create, close
    };
  }

  private static NtStatus deviceControl(
      DeviceObject device, Irp irp, ${driverName}Store store, IoStackLocation stack) {
    if (stack.ioControlCode() != ${driverName}Ioctl.IOCTL_QUERY_STORED) {
      return complete(device, irp, NtStatus.STATUS_INVALID_DEVICE_REQUEST, 0);
    }
    int written = store.queryStored(irp.systemBuffer(), stack.outputBufferLength());
    return written < 0
        ? complete(device, irp, NtStatus.STATUS_BUFFER_TOO_SMALL, 0)
        : complete(device, irp, NtStatus.STATUS_SUCCESS, written);
  }

  /** Sets the request's status and information and completes it: the request is the caller's again. */
  private static NtStatus complete(DeviceObject device, Irp irp, NtStatus status, long information) {
    irp.ioStatus().setStatus(status);
    irp.ioStatus().setInformation(information);
    device.driverObject().services().completeRequest(irp, IoControlCodes.IO_NO_INCREMENT);
    return status;
  }
}
#end
