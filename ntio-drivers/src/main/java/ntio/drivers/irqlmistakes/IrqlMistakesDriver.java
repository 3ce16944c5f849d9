package ntio.drivers.irqlmistakes;

import java.util.Map;
import ntio.ddk.DeviceFlags;
import ntio.ddk.DeviceObject;
import ntio.ddk.DeviceTypes;
import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.IoControlCodes;
import ntio.ddk.Irp;
import ntio.ddk.KernelServices;
import ntio.ddk.KernelServices.DeviceResult;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;

/**
 * The IrqlMistakes driver's image entry point ({@code Ntio-Driver-Entry} of {@code
 * IrqlMistakes.jar}): creates {@code \Device\IrqlMistakes} and sends each control code of {@link
 * IrqlMistakesIoctl} to its mistake in {@link IrqlMistakes}.
 *
 * <p>The driver around the mistakes is correct: create, cleanup and close succeed, an unknown
 * control code is {@code STATUS_INVALID_DEVICE_REQUEST}, and DriverUnload deletes the device.
 */
public final class IrqlMistakesDriver implements DriverEntry {

  private IrqlMistakes mistakes;
  /** The control codes whose mistake runs in the dispatch routine, to the mistake. */
  private Map<Integer, Runnable> inDispatch;

  /** Called by the loader, once per load of the image. */
  public IrqlMistakesDriver() {}

  /** Creates {@code \Device\IrqlMistakes} (buffered I/O) and sets the dispatch routines and DriverUnload. */
  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    KernelServices services = driver.services();
    DeviceResult created = services.createDevice(driver, null,
        UnicodeString.of(IrqlMistakesIoctl.DEVICE_NAME), DeviceTypes.FILE_DEVICE_UNKNOWN, 0, false);
    if (!created.status().isSuccess()) {
      return created.status();
    }
    created.device().setFlags(DeviceFlags.DO_BUFFERED_IO);
    mistakes = new IrqlMistakes(services);
    inDispatch = Map.of(
        IrqlMistakesIoctl.IOCTL_RAISE_BELOW, mistakes::raiseBelow,
        IrqlMistakesIoctl.IOCTL_LOWER_ABOVE, mistakes::lowerAbove,
        IrqlMistakesIoctl.IOCTL_WAIT_AT_DISPATCH, mistakes::waitAtDispatch,
        IrqlMistakesIoctl.IOCTL_PAGED_ALLOCATION_UNDER_SPIN_LOCK, mistakes::pagedAllocationUnderSpinLock,
        IrqlMistakesIoctl.IOCTL_PAGED_DATA_AT_DISPATCH, mistakes::pagedDataAtDispatch,
        IrqlMistakesIoctl.IOCTL_PAGED_CODE_AT_DISPATCH, mistakes::pagedCodeAtDispatch,
        IrqlMistakesIoctl.IOCTL_RELEASE_SPIN_LOCK_TWICE, mistakes::releaseSpinLockTwice,
        IrqlMistakesIoctl.IOCTL_REGISTRY_UNDER_SPIN_LOCK, mistakes::registryUnderSpinLock);
    driver.setMajorFunction(MajorFunctions.IRP_MJ_CREATE, IrqlMistakesDriver::succeed);
    driver.setMajorFunction(MajorFunctions.IRP_MJ_CLEANUP, IrqlMistakesDriver::succeed);
    driver.setMajorFunction(MajorFunctions.IRP_MJ_CLOSE, IrqlMistakesDriver::succeed);
    driver.setMajorFunction(MajorFunctions.IRP_MJ_DEVICE_CONTROL, this::deviceControl);
    driver.setDriverUnload(d -> d.services().deleteDevice(d.deviceObject()));
    return NtStatus.STATUS_SUCCESS;
  }

  /** Create, cleanup and close: nothing per open. */
  private static NtStatus succeed(DeviceObject device, Irp irp) {
    return complete(device, irp, NtStatus.STATUS_SUCCESS);
  }

  /**
   * Each control code makes its mistake, then completes (when the kernel is still running); the
   * cancel spin lock's mistake pends the request for its cancel routine, the work item's returns
   * once the item is queued; an unknown code is {@code STATUS_INVALID_DEVICE_REQUEST}.
   */
  private NtStatus deviceControl(DeviceObject device, Irp irp) {
    int code = irp.currentStackLocation().ioControlCode();
    if (code == IrqlMistakesIoctl.IOCTL_KEEP_CANCEL_SPIN_LOCK) {
      return mistakes.keepCancelSpinLock(irp);
    }
    if (code == IrqlMistakesIoctl.IOCTL_WORK_ITEM_RETURNS_RAISED) {
      return complete(device, irp, mistakes.workItemReturnsRaised(device));
    }
    Runnable mistake = inDispatch.get(code);
    if (mistake == null) {
      return complete(device, irp, NtStatus.STATUS_INVALID_DEVICE_REQUEST);
    }
    mistake.run();
    return complete(device, irp, NtStatus.STATUS_SUCCESS);
  }

  private static NtStatus complete(DeviceObject device, Irp irp, NtStatus status) {
    irp.ioStatus().setStatus(status);
    irp.ioStatus().setInformation(0);
    device.driverObject().services().completeRequest(irp, IoControlCodes.IO_NO_INCREMENT);
    return status;
  }
}
