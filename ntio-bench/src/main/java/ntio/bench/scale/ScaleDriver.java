package ntio.bench.scale;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import ntio.ddk.DeviceFlags;
import ntio.ddk.DeviceObject;
import ntio.ddk.DeviceTypes;
import ntio.ddk.DispatchRoutine;
import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.DriverUnload;
import ntio.ddk.IoControlCodes;
import ntio.ddk.Irp;
import ntio.ddk.KernelServices;
import ntio.ddk.KernelServices.DeviceResult;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;

/**
 * The scale curves' driver: the entry class of the image {@link ScaleImage} builds. It is never
 * loaded from the class path: the kernel's loader defines it from the image, one class loader per
 * copy, as it does any driver.
 *
 * <p>DriverEntry creates one control device named after the service, {@code \Device\<service>}
 * (so many copies of the image, each its own service, load side by side), and sets CREATE,
 * CLEANUP, CLOSE and DEVICE_CONTROL. {@link #IOCTL_CREATE_DEVICES} on the control device creates
 * {@code count} more named devices, {@code \Device\<service>_<first>} onwards, with no device
 * extension: what the device curve measures. DriverUnload deletes every device of the driver, head
 * of the list first, as an NT driver's unload routine walks {@code DriverObject->DeviceObject}.
 *
 * <p>The image must be this one class file and nothing else: so no lambda, no nested class, no
 * string concatenation with {@code +} (each links a bootstrap method in every fresh loader), and
 * nothing but {@code java.*} and {@code ntio.ddk.*} referenced.
 */
public final class ScaleDriver implements DriverEntry, DispatchRoutine, DriverUnload {

  /**
   * {@code CTL_CODE(FILE_DEVICE_UNKNOWN, 0x900, METHOD_BUFFERED, FILE_ANY_ACCESS)}: creates
   * devices. Input: two little-endian 32-bit integers, the first device's number and how many.
   * Completes with {@code STATUS_SUCCESS}, or the status of the first {@code IoCreateDevice} that
   * failed (the devices made before it stay).
   */
  public static final int IOCTL_CREATE_DEVICES = IoControlCodes.ctlCode(DeviceTypes.FILE_DEVICE_UNKNOWN, 0x900,
      IoControlCodes.METHOD_BUFFERED, IoControlCodes.FILE_ANY_ACCESS);

  /** Called by the loader, once per load of the image. */
  public ScaleDriver() {}

  /** Creates the control device and sets the dispatch routines and DriverUnload. */
  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    DeviceResult created = driver.services().createDevice(driver, null,
        UnicodeString.of(controlDeviceName(driver)), DeviceTypes.FILE_DEVICE_UNKNOWN, 0, false);
    if (!created.status().isSuccess()) {
      return created.status();
    }
    driver.setMajorFunction(MajorFunctions.IRP_MJ_CREATE, this);
    driver.setMajorFunction(MajorFunctions.IRP_MJ_CLEANUP, this);
    driver.setMajorFunction(MajorFunctions.IRP_MJ_CLOSE, this);
    driver.setMajorFunction(MajorFunctions.IRP_MJ_DEVICE_CONTROL, this);
    driver.setDriverUnload(this);
    return NtStatus.STATUS_SUCCESS;
  }

  /** {@code \Device\<service>}: the driver object's name with {@code \Device\} for {@code \Driver\}. */
  static String controlDeviceName(DriverObject driver) {
    String name = driver.driverName().text();
    return "\\Device\\".concat(name.substring(name.lastIndexOf('\\') + 1));
  }

  /** DriverUnload: deletes every device, the first of the driver's list each time. */
  @Override
  public void unload(DriverObject driver) {
    KernelServices services = driver.services();
    DeviceObject device = driver.deviceObject();
    while (device != null) {
      DeviceObject next = device.nextDevice();
      services.deleteDevice(device);
      device = next;
    }
  }

  /** Opens and closes succeed; {@link #IOCTL_CREATE_DEVICES} creates devices; anything else is refused. */
  @Override
  public NtStatus dispatch(DeviceObject device, Irp irp) {
    KernelServices services = device.driverObject().services();
    NtStatus status = switch (irp.currentStackLocation().majorFunction()) {
      case MajorFunctions.IRP_MJ_DEVICE_CONTROL -> deviceControl(device, irp);
      case MajorFunctions.IRP_MJ_CREATE, MajorFunctions.IRP_MJ_CLEANUP, MajorFunctions.IRP_MJ_CLOSE ->
          NtStatus.STATUS_SUCCESS;
      default -> NtStatus.STATUS_INVALID_DEVICE_REQUEST;
    };
    irp.ioStatus().setStatus(status);
    irp.ioStatus().setInformation(0);
    services.completeRequest(irp, IoControlCodes.IO_NO_INCREMENT);
    return status;
  }

  private static NtStatus deviceControl(DeviceObject control, Irp irp) {
    if (irp.currentStackLocation().ioControlCode() != IOCTL_CREATE_DEVICES) {
      return NtStatus.STATUS_INVALID_DEVICE_REQUEST;
    }
    byte[] input = irp.systemBuffer();
    if (irp.currentStackLocation().inputBufferLength() < 8 || input == null || input.length < 8) {
      return NtStatus.STATUS_INVALID_PARAMETER;
    }
    ByteBuffer numbers = ByteBuffer.wrap(input).order(ByteOrder.LITTLE_ENDIAN);
    int first = numbers.getInt(0);
    int count = numbers.getInt(4);
    if (first < 0 || count < 0) {
      return NtStatus.STATUS_INVALID_PARAMETER;
    }
    DriverObject driver = control.driverObject();
    KernelServices services = driver.services();
    String prefix = controlDeviceName(driver).concat("_");
    for (int i = 0; i < count; i++) {
      DeviceResult created = services.createDevice(driver, null,
          UnicodeString.of(prefix.concat(Integer.toString(first + i))), DeviceTypes.FILE_DEVICE_UNKNOWN, 0, false);
      if (!created.status().isSuccess()) {
        return created.status();
      }
      // Made outside DriverEntry: the driver itself says it is ready to be opened.
      created.device().clearFlags(DeviceFlags.DO_DEVICE_INITIALIZING);
    }
    return NtStatus.STATUS_SUCCESS;
  }
}
