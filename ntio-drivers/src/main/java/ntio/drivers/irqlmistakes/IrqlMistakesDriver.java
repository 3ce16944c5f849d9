package ntio.drivers.irqlmistakes;

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
 * The IrqlMistakes driver's image entry point ({@code Ntio-Driver-Entry} of {@code
 * IrqlMistakes.jar}): creates {@code \Device\IrqlMistakes} and sends each control code of {@link
 * IrqlMistakesIoctl} to its mistake in {@link IrqlMistakes}.
 *
 * <p>The driver around the mistakes is correct: create, cleanup and close succeed, an unknown
 * control code is {@code STATUS_INVALID_DEVICE_REQUEST}, and DriverUnload deletes the device.
 */
public final class IrqlMistakesDriver implements DriverEntry, DispatchRoutine, DriverUnload {

  /** The major functions this driver's dispatch routine handles. */
  private static final int[] HANDLED = {MajorFunctions.IRP_MJ_CREATE, MajorFunctions.IRP_MJ_CLEANUP,
      MajorFunctions.IRP_MJ_CLOSE, MajorFunctions.IRP_MJ_DEVICE_CONTROL};

  private IrqlMistakes mistakes;

  /** Called by the loader, once per load of the image. */
  public IrqlMistakesDriver() {}

  /** Creates {@code \Device\IrqlMistakes} (buffered I/O) and sets the dispatch routines and DriverUnload. */
  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    DeviceResult created = driver.services().createDevice(driver, null,
        UnicodeString.of(IrqlMistakesIoctl.DEVICE_NAME), DeviceTypes.FILE_DEVICE_UNKNOWN, 0, false);
    if (!created.status().isSuccess()) {
      return created.status();
    }
    created.device().setFlags(DeviceFlags.DO_BUFFERED_IO);
    mistakes = new IrqlMistakes(driver.services());
    for (int major : HANDLED) {
      driver.setMajorFunction(major, this);
    }
    driver.setDriverUnload(this);
    return NtStatus.STATUS_SUCCESS;
  }

  /** DriverUnload: deletes the device. */
  @Override
  public void unload(DriverObject driver) {
    driver.services().deleteDevice(driver.deviceObject());
  }

  /** Create, cleanup and close succeed; each control code makes its mistake, then completes. */
  @Override
  public NtStatus dispatch(DeviceObject device, Irp irp) {
    KernelServices services = device.driverObject().services();
    IoStackLocation stack = irp.currentStackLocation();
    NtStatus status = NtStatus.STATUS_SUCCESS;
    if (stack.majorFunction() == MajorFunctions.IRP_MJ_DEVICE_CONTROL) {
      int code = stack.ioControlCode();
      if (code == IrqlMistakesIoctl.IOCTL_KEEP_CANCEL_SPIN_LOCK) {
        // Pending: its cancel routine completes it (and makes the mistake).
        return mistakes.keepCancelSpinLock(irp);
      }
      status = deviceControl(code, device);
    }
    irp.ioStatus().setStatus(status);
    irp.ioStatus().setInformation(0);
    services.completeRequest(irp, IoControlCodes.IO_NO_INCREMENT);
    return status;
  }

  private NtStatus deviceControl(int code, DeviceObject device) {
    if (code == IrqlMistakesIoctl.IOCTL_RAISE_BELOW) {
      mistakes.raiseBelow();
    } else if (code == IrqlMistakesIoctl.IOCTL_LOWER_ABOVE) {
      mistakes.lowerAbove();
    } else if (code == IrqlMistakesIoctl.IOCTL_WAIT_AT_DISPATCH) {
      mistakes.waitAtDispatch();
    } else if (code == IrqlMistakesIoctl.IOCTL_PAGED_ALLOCATION_UNDER_SPIN_LOCK) {
      mistakes.pagedAllocationUnderSpinLock();
    } else if (code == IrqlMistakesIoctl.IOCTL_PAGED_DATA_AT_DISPATCH) {
      mistakes.pagedDataAtDispatch();
    } else if (code == IrqlMistakesIoctl.IOCTL_PAGED_CODE_AT_DISPATCH) {
      mistakes.pagedCodeAtDispatch();
    } else if (code == IrqlMistakesIoctl.IOCTL_RELEASE_SPIN_LOCK_TWICE) {
      mistakes.releaseSpinLockTwice();
    } else if (code == IrqlMistakesIoctl.IOCTL_REGISTRY_UNDER_SPIN_LOCK) {
      mistakes.registryUnderSpinLock();
    } else if (code == IrqlMistakesIoctl.IOCTL_WORK_ITEM_RETURNS_RAISED) {
      return mistakes.workItemReturnsRaised(device);
    } else {
      return NtStatus.STATUS_INVALID_DEVICE_REQUEST;
    }
    return NtStatus.STATUS_SUCCESS;
  }
}
