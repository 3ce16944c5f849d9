package ntio.kernel.io.statustests;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import ntio.ddk.BuiltRequest;
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
 * A test driver shaped after the kernel half of Wine's {@code dlls/ntoskrnl.exe/tests/driver.c}
 * ({@code return_status}): device {@link #DEVICE}, whose {@code IOCTL_RETURN_STATUS_*} controls
 * take {@code (i32 returnStatus, i32 ioStatus, i32 pending)} little-endian as input, write {@code
 * "ghijkl"} into the output through the method's own channel, set {@code Information} 3 (on
 * purpose less than written) and {@code IoStatus.Status} to {@code ioStatus}, mark the request
 * pending if asked, complete it, and return {@code returnStatus}.
 *
 * <p>Writes complete with STATUS_SUCCESS and {@code Information} = their length, and are counted:
 * {@link #IOCTL_WRITES} returns the count (i32). {@link #IOCTL_BUILT_STATUS} builds a flush with
 * {@code IoBuildSynchronousFsdRequest} and a control with {@code IoBuildDeviceIoControlRequest}
 * for its own device and returns, for each, the {@code IoStatus} it started with (i32 status, i64
 * information), then sends them.
 */
public final class ReturnStatusDriver implements DriverEntry, DispatchRoutine, DriverUnload {

  /** The device. */
  public static final String DEVICE = "\\Device\\ReturnStatus";

  public static final int IOCTL_RETURN_STATUS_BUFFERED = control(0x802, IoControlCodes.METHOD_BUFFERED);
  public static final int IOCTL_RETURN_STATUS_DIRECT = control(0x802, IoControlCodes.METHOD_OUT_DIRECT);
  public static final int IOCTL_RETURN_STATUS_NEITHER = control(0x802, IoControlCodes.METHOD_NEITHER);
  public static final int IOCTL_WRITES = control(0x803, IoControlCodes.METHOD_BUFFERED);
  public static final int IOCTL_BUILT_STATUS = control(0x804, IoControlCodes.METHOD_BUFFERED);
  /** Completes at once with success; what {@link #IOCTL_BUILT_STATUS}'s built control sends. */
  public static final int IOCTL_NOTHING = control(0x805, IoControlCodes.METHOD_BUFFERED);

  private static final byte[] WRITTEN = "ghijkl".getBytes(StandardCharsets.US_ASCII);

  private KernelServices services;
  private DeviceObject device;
  private int writes;

  /** Called by the loader. */
  public ReturnStatusDriver() {}

  private static int control(int function, int method) {
    return IoControlCodes.ctlCode(DeviceTypes.FILE_DEVICE_UNKNOWN, function, method,
        IoControlCodes.FILE_ANY_ACCESS);
  }

  /** The input of a return-status control. */
  public static byte[] parameters(NtStatus returnStatus, NtStatus ioStatus, boolean pending) {
    return ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(returnStatus.code())
        .putInt(ioStatus.code()).putInt(pending ? 1 : 0).array();
  }

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
    int major = irp.currentStackLocation().majorFunction();
    if (major == MajorFunctions.IRP_MJ_WRITE) {
      synchronized (this) {
        writes++;
      }
      irp.ioStatus().setInformation(irp.currentStackLocation().length());
      return complete(irp, NtStatus.STATUS_SUCCESS);
    }
    if (major != MajorFunctions.IRP_MJ_DEVICE_CONTROL) {
      irp.ioStatus().setInformation(0);
      return complete(irp, NtStatus.STATUS_SUCCESS);
    }
    int code = irp.currentStackLocation().ioControlCode();
    if (code == IOCTL_RETURN_STATUS_BUFFERED || code == IOCTL_RETURN_STATUS_DIRECT
        || code == IOCTL_RETURN_STATUS_NEITHER) {
      return returnStatus(irp, code);
    }
    if (code == IOCTL_WRITES) {
      int count;
      synchronized (this) {
        count = writes;
      }
      ByteBuffer.wrap(irp.systemBuffer()).order(ByteOrder.LITTLE_ENDIAN).putInt(0, count);
      irp.ioStatus().setInformation(Integer.BYTES);
      return complete(irp, NtStatus.STATUS_SUCCESS);
    }
    if (code == IOCTL_BUILT_STATUS) {
      return builtStatus(irp);
    }
    irp.ioStatus().setInformation(0);
    return complete(irp, NtStatus.STATUS_SUCCESS);
  }

  private NtStatus returnStatus(Irp irp, int code) {
    ByteBuffer input = code == IOCTL_RETURN_STATUS_NEITHER
        ? irp.currentStackLocation().type3InputBuffer()
        : ByteBuffer.wrap(irp.systemBuffer());
    ByteBuffer output = code == IOCTL_RETURN_STATUS_NEITHER ? irp.userBuffer()
        : code == IOCTL_RETURN_STATUS_DIRECT ? irp.mdlAddress().systemAddress()
        : ByteBuffer.wrap(irp.systemBuffer());
    input = input.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    NtStatus returned = NtStatus.of(input.getInt(0));
    NtStatus ioStatus = NtStatus.of(input.getInt(4));
    boolean pending = input.getInt(8) != 0;
    if (pending) {
      irp.markPending();
    }
    output.duplicate().put(0, WRITTEN, 0, WRITTEN.length);
    irp.ioStatus().setInformation(3);
    irp.ioStatus().setStatus(ioStatus);
    services.completeRequest(irp, IoControlCodes.IO_NO_INCREMENT);
    return returned;
  }

  private NtStatus builtStatus(Irp irp) {
    BuiltRequest flush = services.buildSynchronousFsdRequest(MajorFunctions.IRP_MJ_FLUSH_BUFFERS,
        device, null, 0, 0);
    BuiltRequest control = services.buildDeviceIoControlRequest(IOCTL_NOTHING, device,
        new byte[0], 0, false);
    ByteBuffer out = ByteBuffer.wrap(irp.systemBuffer()).order(ByteOrder.LITTLE_ENDIAN);
    out.putInt(flush.irp().ioStatus().status().code()).putLong(flush.irp().ioStatus().information());
    out.putInt(control.irp().ioStatus().status().code())
        .putLong(control.irp().ioStatus().information());
    services.callDriver(device, flush.irp());
    services.callDriver(device, control.irp());
    irp.ioStatus().setInformation(out.position());
    return complete(irp, NtStatus.STATUS_SUCCESS);
  }

  private NtStatus complete(Irp irp, NtStatus status) {
    irp.ioStatus().setStatus(status);
    services.completeRequest(irp, IoControlCodes.IO_NO_INCREMENT);
    return status;
  }
}
