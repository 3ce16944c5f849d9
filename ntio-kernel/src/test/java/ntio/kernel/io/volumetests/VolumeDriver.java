package ntio.kernel.io.volumetests;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import ntio.ddk.DeviceObject;
import ntio.ddk.DeviceTypes;
import ntio.ddk.DispatchRoutine;
import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.DriverUnload;
import ntio.ddk.FsInformationClass;
import ntio.ddk.IoControlCodes;
import ntio.ddk.IoStackLocation;
import ntio.ddk.Irp;
import ntio.ddk.KernelServices;
import ntio.ddk.KernelServices.DeviceResult;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;

/**
 * A test driver shaped after the IRP_MJ_QUERY_VOLUME_INFORMATION handler of Wine's {@code
 * dlls/ntoskrnl.exe/tests/driver.c}: device {@link #DEVICE} answers {@code
 * FileFsVolumeInformation} at once with serial number {@link #SERIAL} and label {@link #LABEL}
 * (cut to the buffer); pends {@code FileFsSizeInformation} and completes it from a system thread
 * with success and {@code Information} 0; pends {@code FileFsFullSizeInformation} and completes it
 * the same way with {@code STATUS_DEVICE_NOT_READY}; completes any other class at once with
 * {@code STATUS_NOT_IMPLEMENTED}. Other requests succeed with nothing.
 */
public final class VolumeDriver implements DriverEntry, DispatchRoutine, DriverUnload {

  /** The device. */
  public static final String DEVICE = "\\Device\\VolumeLab";
  /** {@code VolumeSerialNumber} of the answer to {@code FileFsVolumeInformation}. */
  public static final int SERIAL = 0xdeadbeef;
  /** {@code VolumeLabel} of the answer to {@code FileFsVolumeInformation}. */
  public static final String LABEL = "WineTestDriver";
  /** {@code FIELD_OFFSET(FILE_FS_VOLUME_INFORMATION, VolumeLabel)}. */
  public static final int LABEL_OFFSET = 18;

  private KernelServices services;
  private DeviceObject device;

  /** Called by the loader. */
  public VolumeDriver() {}

  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    services = driver.services();
    DeviceResult created = services.createDevice(driver, null, UnicodeString.of(DEVICE),
        DeviceTypes.FILE_DEVICE_UNKNOWN, 0, false);
    if (!created.status().isSuccess()) {
      return created.status();
    }
    device = created.device();
    for (int major = 0; major <= MajorFunctions.IRP_MJ_MAXIMUM_FUNCTION; major++) {
      driver.setMajorFunction(major, this);
    }
    driver.setDriverUnload(this);
    return NtStatus.STATUS_SUCCESS;
  }

  @Override
  public void unload(DriverObject driver) {
    services.deleteDevice(device);
  }

  @Override
  public NtStatus dispatch(DeviceObject on, Irp irp) {
    IoStackLocation stack = irp.currentStackLocation();
    if (stack.majorFunction() != MajorFunctions.IRP_MJ_QUERY_VOLUME_INFORMATION) {
      irp.ioStatus().setInformation(0);
      return complete(irp, NtStatus.STATUS_SUCCESS);
    }
    return switch (stack.fsInformationClass()) {
      case FsInformationClass.FILE_FS_VOLUME_INFORMATION -> volume(irp, stack.length());
      case FsInformationClass.FILE_FS_SIZE_INFORMATION -> completeLater(irp, NtStatus.STATUS_SUCCESS);
      case FsInformationClass.FILE_FS_FULL_SIZE_INFORMATION ->
          completeLater(irp, NtStatus.STATUS_DEVICE_NOT_READY);
      default -> complete(irp, NtStatus.STATUS_NOT_IMPLEMENTED);
    };
  }

  private NtStatus volume(Irp irp, int length) {
    byte[] label = LABEL.getBytes(StandardCharsets.UTF_16LE);
    int fits = Math.min(label.length, (length - LABEL_OFFSET) & ~1);
    ByteBuffer out = ByteBuffer.wrap(irp.systemBuffer()).order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(0, 0).putInt(8, SERIAL).putInt(12, fits).put(16, (byte) 0);
    out.put(LABEL_OFFSET, label, 0, fits);
    irp.ioStatus().setInformation(LABEL_OFFSET + fits);
    return complete(irp, NtStatus.STATUS_SUCCESS);
  }

  private NtStatus completeLater(Irp irp, NtStatus status) {
    irp.markPending();
    NtStatus started = services.createSystemThread(() -> {
      irp.ioStatus().setInformation(0);
      complete(irp, status);
    }).status();
    if (!started.isSuccess()) {
      irp.ioStatus().setInformation(0);
      complete(irp, status);
    }
    return NtStatus.STATUS_PENDING;
  }

  private NtStatus complete(Irp irp, NtStatus status) {
    irp.ioStatus().setStatus(status);
    services.completeRequest(irp, IoControlCodes.IO_NO_INCREMENT);
    return status;
  }
}
