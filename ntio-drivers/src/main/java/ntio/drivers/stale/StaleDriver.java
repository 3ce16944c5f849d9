package ntio.drivers.stale;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
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
import ntio.ddk.KernelServices.PoolResult;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;
import ntio.ddk.PoolBlock;
import ntio.ddk.PoolTag;
import ntio.ddk.PoolType;
import ntio.ddk.UnicodeString;

/**
 * The Stale driver's image entry point ({@code Ntio-Driver-Entry} of {@code Stale.jar}).
 *
 * <p><strong>This driver is wrong on purpose.</strong> {@link StaleIoctl#IOCTL_STALE_FREE_THEN_READ}
 * frees its block and reads it afterwards. Everything else is correct: DriverUnload frees a block
 * still held and deletes the device.
 */
public final class StaleDriver implements DriverEntry, DispatchRoutine, DriverUnload {

  /** The major functions this driver's dispatch routine handles. */
  private static final int[] HANDLED = {MajorFunctions.IRP_MJ_CREATE, MajorFunctions.IRP_MJ_CLEANUP,
      MajorFunctions.IRP_MJ_CLOSE, MajorFunctions.IRP_MJ_DEVICE_CONTROL};

  /** The block {@link StaleIoctl#IOCTL_STALE_ALLOCATE} allocated, or null; guarded by {@code this}. */
  private PoolBlock block;

  /** Called by the loader, once per load of the image. */
  public StaleDriver() {}

  /** Creates {@code \Device\Stale} (buffered I/O) and sets the dispatch routines and DriverUnload. */
  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    DeviceResult created = driver.services().createDevice(driver, null,
        UnicodeString.of(StaleIoctl.DEVICE_NAME), DeviceTypes.FILE_DEVICE_UNKNOWN, 0, false);
    if (!created.status().isSuccess()) {
      return created.status();
    }
    created.device().setFlags(DeviceFlags.DO_BUFFERED_IO);
    for (int major : HANDLED) {
      driver.setMajorFunction(major, this);
    }
    driver.setDriverUnload(this);
    return NtStatus.STATUS_SUCCESS;
  }

  /** DriverUnload: frees a block still held, then deletes the device. */
  @Override
  public void unload(DriverObject driver) {
    synchronized (this) {
      if (block != null) {
        driver.services().freePoolWithTag(block, block.tag());
        block = null;
      }
    }
    driver.services().deleteDevice(driver.deviceObject());
  }

  /** Create, cleanup and close succeed; device controls as {@link StaleIoctl} says. */
  @Override
  public NtStatus dispatch(DeviceObject device, Irp irp) {
    KernelServices services = device.driverObject().services();
    IoStackLocation stack = irp.currentStackLocation();
    NtStatus status = stack.majorFunction() == MajorFunctions.IRP_MJ_DEVICE_CONTROL
        ? deviceControl(services, stack, irp.systemBuffer())
        : NtStatus.STATUS_SUCCESS;
    irp.ioStatus().setStatus(status);
    irp.ioStatus().setInformation(0);
    services.completeRequest(irp, IoControlCodes.IO_NO_INCREMENT);
    return status;
  }

  private synchronized NtStatus deviceControl(KernelServices services, IoStackLocation stack, byte[] input) {
    if (stack.ioControlCode() == StaleIoctl.IOCTL_STALE_ALLOCATE) {
      if (stack.inputBufferLength() < 8) {
        return NtStatus.STATUS_INVALID_PARAMETER;
      }
      if (block != null) {
        return NtStatus.STATUS_DEVICE_BUSY;
      }
      int tag = PoolTag.of(new String(input, 0, 4, StandardCharsets.US_ASCII));
      int size = ByteBuffer.wrap(input).order(ByteOrder.LITTLE_ENDIAN).getInt(4);
      PoolResult allocated = services.allocatePoolWithTag(PoolType.NON_PAGED, size, tag);
      if (allocated.status().isSuccess()) {
        block = allocated.block();
      }
      return allocated.status();
    }
    if (stack.ioControlCode() == StaleIoctl.IOCTL_STALE_FREE_THEN_READ) {
      if (block == null) {
        return NtStatus.STATUS_INVALID_DEVICE_STATE;
      }
      PoolBlock freed = block;
      services.freePoolWithTag(freed, freed.tag());
      block = null;
      // The bug: the block is read after its free, through a pointer the driver kept.
      freed.getByte(0);
      return NtStatus.STATUS_SUCCESS;
    }
    return NtStatus.STATUS_INVALID_DEVICE_REQUEST;
  }
}
