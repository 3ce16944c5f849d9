package ntio.kernel.io.devicetests.names;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import ntio.ddk.DeviceObject;
import ntio.ddk.DeviceTypes;
import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.FileInformationClass;
import ntio.ddk.FileObject;
import ntio.ddk.Irp;
import ntio.ddk.IoStackLocation;
import ntio.ddk.KernelServices;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;

/**
 * A driver for the open and name rules, after the kernel half of Wine's
 * {@code dlls/ntoskrnl.exe/tests/driver.c}: it creates {@link #DEVICE} and the exclusive
 * {@link #EXCLUSIVE_DEVICE}, counts its creates, and answers FileNameInformation by the open's
 * FileName — {@code \notimpl}, {@code \badparam}, {@code \genfail} and {@code \badtype} fail with
 * STATUS_NOT_IMPLEMENTED, STATUS_INVALID_PARAMETER, STATUS_UNSUCCESSFUL and
 * STATUS_OBJECT_TYPE_MISMATCH as Wine's driver does, an open of the device itself with
 * STATUS_INVALID_DEVICE_REQUEST, any other open with its FileName as it is.
 *
 * <p>{@link #IOCTL_NAMES_DESCRIBE} returns, as UTF-8, {@code FileName|related|creates}: the open's
 * FileName, its RelatedFileObject's FileName in brackets (or {@code none}), and how many creates
 * the driver has seen. {@link #IOCTL_NAMES_DELETE} deletes the device the request was sent to.
 */
public final class NamesDriver implements DriverEntry {

  /** The device every test opens. */
  public static final String DEVICE = "\\Device\\Names";

  /** An exclusive device: one open at a time by name. */
  public static final String EXCLUSIVE_DEVICE = "\\Device\\NamesExclusive";

  /** {@code CTL_CODE(FILE_DEVICE_UNKNOWN, 0xA10, METHOD_BUFFERED, FILE_ANY_ACCESS)}. */
  public static final int IOCTL_NAMES_DESCRIBE = (0x22 << 16) | (0xA10 << 2);

  /** {@code CTL_CODE(FILE_DEVICE_UNKNOWN, 0xA11, METHOD_BUFFERED, FILE_ANY_ACCESS)}. */
  public static final int IOCTL_NAMES_DELETE = (0x22 << 16) | (0xA11 << 2);

  private final AtomicInteger creates = new AtomicInteger();
  private KernelServices services;

  /** Called by the loader, once per load of the image. */
  public NamesDriver() {}

  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    services = driver.services();
    for (String name : new String[] {DEVICE, EXCLUSIVE_DEVICE}) {
      KernelServices.DeviceResult created = services.createDevice(driver, null, UnicodeString.of(name),
          DeviceTypes.FILE_DEVICE_UNKNOWN, 0, name.equals(EXCLUSIVE_DEVICE));
      if (!created.status().isSuccess()) {
        return created.status();
      }
    }
    for (int major : new int[] {MajorFunctions.IRP_MJ_CREATE, MajorFunctions.IRP_MJ_CLEANUP,
        MajorFunctions.IRP_MJ_CLOSE, MajorFunctions.IRP_MJ_DEVICE_CONTROL,
        MajorFunctions.IRP_MJ_QUERY_INFORMATION}) {
      driver.setMajorFunction(major, this::dispatch);
    }
    driver.setDriverUnload(unloading -> {
      java.util.List<DeviceObject> own = new java.util.ArrayList<>();
      for (DeviceObject d = unloading.deviceObject(); d != null; d = d.nextDevice()) {
        own.add(d);
      }
      own.forEach(services::deleteDevice);
    });
    return NtStatus.STATUS_SUCCESS;
  }

  private NtStatus dispatch(DeviceObject device, Irp irp) {
    IoStackLocation stack = irp.currentStackLocation();
    FileObject file = stack.fileObject();
    switch (stack.majorFunction()) {
      case MajorFunctions.IRP_MJ_CREATE -> {
        creates.incrementAndGet();
        return complete(irp, NtStatus.STATUS_SUCCESS, 0);
      }
      case MajorFunctions.IRP_MJ_QUERY_INFORMATION -> {
        if (stack.fileInformationClass() != FileInformationClass.FILE_NAME_INFORMATION) {
          return complete(irp, NtStatus.STATUS_INVALID_PARAMETER, 0);
        }
        return queryName(irp, stack, file.fileName().text());
      }
      case MajorFunctions.IRP_MJ_DEVICE_CONTROL -> {
        if (stack.ioControlCode() == IOCTL_NAMES_DELETE) {
          services.deleteDevice(device);
          return complete(irp, NtStatus.STATUS_SUCCESS, 0);
        }
        if (stack.ioControlCode() != IOCTL_NAMES_DESCRIBE) {
          return complete(irp, NtStatus.STATUS_INVALID_DEVICE_REQUEST, 0);
        }
        FileObject related = file.relatedFileObject();
        String text = file.fileName().text() + "|"
            + (related == null ? "none" : "[" + related.fileName().text() + "]") + "|" + creates.get();
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int count = Math.min(bytes.length, stack.outputBufferLength());
        System.arraycopy(bytes, 0, irp.systemBuffer(), 0, count);
        return complete(irp, NtStatus.STATUS_SUCCESS, count);
      }
      default -> {
        return complete(irp, NtStatus.STATUS_SUCCESS, 0);
      }
    }
  }

  private NtStatus queryName(Irp irp, IoStackLocation stack, String fileName) {
    NtStatus refusal = switch (fileName) {
      case "" -> NtStatus.STATUS_INVALID_DEVICE_REQUEST;
      case "\\notimpl" -> NtStatus.STATUS_NOT_IMPLEMENTED;
      case "\\badparam" -> NtStatus.STATUS_INVALID_PARAMETER;
      case "\\genfail" -> NtStatus.STATUS_UNSUCCESSFUL;
      case "\\badtype" -> NtStatus.STATUS_OBJECT_TYPE_MISMATCH;
      default -> null;
    };
    if (refusal != null) {
      return complete(irp, refusal, 0);
    }
    byte[] name = fileName.getBytes(StandardCharsets.UTF_16LE);
    if (stack.length() < Integer.BYTES + name.length) {
      return complete(irp, NtStatus.STATUS_BUFFER_OVERFLOW, 0);
    }
    ByteBuffer.wrap(irp.systemBuffer()).order(ByteOrder.LITTLE_ENDIAN).putInt(name.length).put(name);
    return complete(irp, NtStatus.STATUS_SUCCESS, Integer.BYTES + name.length);
  }

  private NtStatus complete(Irp irp, NtStatus status, long information) {
    irp.ioStatus().setStatus(status);
    irp.ioStatus().setInformation(information);
    services.completeRequest(irp, 0);
    return status;
  }
}
