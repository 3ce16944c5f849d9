package ntio.conformance.wine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import ntio.conformance.kernel.KernelOk;
import ntio.ddk.DeviceFlags;
import ntio.ddk.DeviceObject;
import ntio.ddk.DeviceTypes;
import ntio.ddk.DispatchRoutine;
import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.DriverUnload;
import ntio.ddk.FileObject;
import ntio.ddk.IoControlCodes;
import ntio.ddk.IoStackLocation;
import ntio.ddk.Irp;
import ntio.ddk.KernelServices;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectKind;
import ntio.ddk.UnicodeString;

/**
 * The kernel half of Wine's ntoskrnl.exe tests: a port of {@code dlls/ntoskrnl.exe/tests/driver.c}
 * (wine-mirror/wine) — its DriverEntry, DriverUnload and dispatch routines. The kernel-mode test
 * functions it runs from {@code IOCTL_WINETEST_MAIN_TEST} are in {@link WineKernelTests}; each
 * reports through {@link KernelOk} into its own suite ({@link WineIoctls}).
 *
 * <p>Wine keeps the driver's state in C statics; here it is this instance's, one per load.
 */
public final class WineTestDriver implements DriverEntry, DriverUnload, DispatchRoutine {

  /** driver.c's {@code struct file_context}: the create's number and the file name it saw. */
  record FileContext(int id, String name) {}

  DriverObject driver;
  KernelServices services;
  DeviceObject lowerDevice;
  DeviceObject upperDevice;
  volatile FileObject lastCreatedFile;
  volatile int createCount;
  volatile int closeCount;
  volatile int cancelCount;
  /** Where driver_FlushBuffers reports: the suite of the kernel test sending the flush. */
  volatile KernelOk flushOk;
  /** test_completion's state (driver.c statics completion_lower_pending and friends). */
  volatile KernelOk completionOk;
  volatile boolean completionLowerPending;
  volatile boolean completionUpperPending;
  volatile int gotCompletion;
  private KernelOk entryOk;

  public WineTestDriver() {}

  /** driver.c, DriverEntry. */
  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    this.driver = driver;
    this.services = driver.services();
    KernelOk ok = KernelOk.begin(services, WineIoctls.SUITE_DRIVER_ENTRY);
    entryOk = ok;
    driver.setDriverUnload(this);
    for (int major : new int[] {MajorFunctions.IRP_MJ_CREATE, MajorFunctions.IRP_MJ_DEVICE_CONTROL,
        MajorFunctions.IRP_MJ_FLUSH_BUFFERS, MajorFunctions.IRP_MJ_QUERY_INFORMATION,
        MajorFunctions.IRP_MJ_QUERY_VOLUME_INFORMATION, MajorFunctions.IRP_MJ_CLOSE}) {
      driver.setMajorFunction(major, this);
    }

    var byName = services.referenceObjectByName(UnicodeString.of("\\Driver\\" + WineIoctls.SERVICE), ObjectKind.DRIVER);
    ok.ok(byName.status().equals(NtStatus.STATUS_SUCCESS), "ObReferenceObjectByName: got %s", byName.status());
    ok.ok(byName.object() == driver, "expected the driver object, got %s", byName.object());
    if (byName.object() != null) {
      services.dereferenceObject(byName.object());
    }

    var lower = services.createDevice(driver, null, UnicodeString.of(WineIoctls.DEVICE_NAME),
        DeviceTypes.FILE_DEVICE_UNKNOWN, DeviceTypes.FILE_DEVICE_SECURE_OPEN, false);
    ok.ok(lower.status().equals(NtStatus.STATUS_SUCCESS), "failed to create device, status %s", lower.status());
    lowerDevice = lower.device();
    NtStatus link = services.createSymbolicLink(UnicodeString.of(WineIoctls.LINK_NAME),
        UnicodeString.of(WineIoctls.DEVICE_NAME));
    ok.ok(link.equals(NtStatus.STATUS_SUCCESS), "failed to create link, status %s", link);
    lowerDevice.clearFlags(DeviceFlags.DO_DEVICE_INITIALIZING);

    var upper = services.createDevice(driver, null, UnicodeString.of(WineIoctls.UPPER_NAME),
        DeviceTypes.FILE_DEVICE_UNKNOWN, DeviceTypes.FILE_DEVICE_SECURE_OPEN, false);
    ok.ok(upper.status().equals(NtStatus.STATUS_SUCCESS), "failed to create device, status %s", upper.status());
    upperDevice = upper.device();
    services.attachDeviceToDeviceStack(upperDevice, lowerDevice);
    upperDevice.clearFlags(DeviceFlags.DO_DEVICE_INITIALIZING);
    // Wine allocates its work item here; ntio's work items need no allocation (queueWorkItem).
    return NtStatus.STATUS_SUCCESS;
  }

  /** driver.c, driver_Unload: the link and both devices go. */
  @Override
  public void unload(DriverObject driver) {
    KernelOk ok = KernelOk.begin(services, WineIoctls.SUITE_UNLOAD);
    NtStatus link = services.deleteSymbolicLink(UnicodeString.of(WineIoctls.LINK_NAME));
    ok.ok(link.equals(NtStatus.STATUS_SUCCESS), "IoDeleteSymbolicLink: got %s", link);
    services.deleteDevice(upperDevice);
    services.deleteDevice(lowerDevice);
    ok.ok(entryOk != null, "DriverUnload runs after DriverEntry");
  }

  @Override
  public NtStatus dispatch(DeviceObject device, Irp irp) {
    IoStackLocation stack = irp.currentStackLocation();
    return switch (stack.majorFunction()) {
      case MajorFunctions.IRP_MJ_CREATE -> create(irp, stack);
      case MajorFunctions.IRP_MJ_CLOSE -> close(irp, stack);
      case MajorFunctions.IRP_MJ_DEVICE_CONTROL -> ioControl(device, irp, stack);
      case MajorFunctions.IRP_MJ_FLUSH_BUFFERS -> flushBuffers(device, irp, stack);
      case MajorFunctions.IRP_MJ_QUERY_INFORMATION -> WineFileInformation.query(this, irp, stack);
      case MajorFunctions.IRP_MJ_QUERY_VOLUME_INFORMATION -> WineVolumeInformation.query(this, irp, stack);
      default -> complete(irp, NtStatus.STATUS_INVALID_DEVICE_REQUEST);
    };
  }

  /** driver.c, driver_Create: numbers the open and keeps the name it was given. */
  private NtStatus create(Irp irp, IoStackLocation stack) {
    FileObject file = stack.fileObject();
    int id;
    synchronized (this) {
      id = ++createCount;
    }
    UnicodeString name = file.fileName();
    file.setFsContext(new FileContext(id, name == null ? "" : name.text()));
    lastCreatedFile = file;
    return complete(irp, NtStatus.STATUS_SUCCESS);
  }

  /** driver.c, driver_Close. */
  private NtStatus close(Irp irp, IoStackLocation stack) {
    synchronized (this) {
      closeCount++;
    }
    stack.fileObject().setFsContext(null);
    return complete(irp, NtStatus.STATUS_SUCCESS);
  }

  /** driver.c, driver_FlushBuffers: pends every flush, for the kernel tests to complete. */
  private NtStatus flushBuffers(DeviceObject device, Irp irp, IoStackLocation stack) {
    KernelOk ok = flushOk;
    if (ok != null) {
      ok.ok(device == lowerDevice, "Expected device %s, got %s", lowerDevice, device);
      ok.ok(stack.deviceObject() == device, "device != DeviceObject");
    }
    irp.markPending();
    return NtStatus.STATUS_PENDING;
  }

  /** driver.c, driver_IoControl. */
  private NtStatus ioControl(DeviceObject device, Irp irp, IoStackLocation stack) {
    int code = stack.ioControlCode();
    NtStatus status = NtStatus.STATUS_NOT_SUPPORTED;
    if (code == WineIoctls.BASIC_IOCTL) {
      int length = Math.min(stack.outputBufferLength(), WineIoctls.TESTSTR.length);
      byte[] buffer = irp.systemBuffer();
      if (buffer == null || buffer.length < length) {
        status = NtStatus.STATUS_ACCESS_VIOLATION;
      } else {
        System.arraycopy(WineIoctls.TESTSTR, 0, buffer, 0, length);
        irp.ioStatus().setInformation(length);
        status = NtStatus.STATUS_SUCCESS;
      }
    } else if (code == WineIoctls.MAIN_TEST) {
      return WineKernelTests.mainTest(this, device, irp);
    } else if (code == WineIoctls.LOAD_DRIVER) {
      status = loadDriverIoctl(irp, stack);
    } else if (code == WineIoctls.RESET_CANCEL) {
      cancelCount = 0;
      status = NtStatus.STATUS_SUCCESS;
    } else if (code == WineIoctls.TEST_CANCEL) {
      irp.setCancelRoutine((d, cancelled) -> {
        services.releaseCancelSpinLock(cancelled.cancelIrql());
        cancelled.ioStatus().setStatus(NtStatus.STATUS_CANCELLED);
        cancelled.ioStatus().setInformation(0);
        synchronized (this) {
          cancelCount++;
        }
        services.completeRequest(cancelled, IoControlCodes.IO_NO_INCREMENT);
      });
      irp.markPending();
      return NtStatus.STATUS_PENDING;
    } else if (code == WineIoctls.GET_CANCEL_COUNT) {
      status = putDword(irp, stack, cancelCount);
    } else if (code == WineIoctls.GET_CREATE_COUNT) {
      status = putDword(irp, stack, createCount);
    } else if (code == WineIoctls.GET_CLOSE_COUNT) {
      status = putDword(irp, stack, closeCount);
    } else if (code == WineIoctls.GET_FSCONTEXT) {
      Object context = stack.fileObject().fsContext();
      status = context instanceof FileContext c ? putDword(irp, stack, c.id()) : NtStatus.STATUS_ACCESS_VIOLATION;
    } else if (code == WineIoctls.RETURN_STATUS_BUFFERED || code == WineIoctls.RETURN_STATUS_DIRECT
        || code == WineIoctls.RETURN_STATUS_NEITHER) {
      return returnStatus(irp, stack, code);
    } else if (code == WineIoctls.DETACH) {
      services.detachDevice(lowerDevice);
      status = NtStatus.STATUS_SUCCESS;
    } else if (code == WineIoctls.COMPLETION) {
      return WineKernelTests.completionIoctl(this, device, irp);
    }
    if (!status.equals(NtStatus.STATUS_PENDING)) {
      irp.ioStatus().setStatus(status);
      services.completeRequest(irp, IoControlCodes.IO_NO_INCREMENT);
    }
    return status;
  }

  /** driver.c, test_load_driver_ioctl: loads or unloads driver2 as the BOOL input says. */
  private NtStatus loadDriverIoctl(Irp irp, IoStackLocation stack) {
    byte[] input = irp.systemBuffer();
    if (input == null || stack.inputBufferLength() < 4) {
      return NtStatus.STATUS_ACCESS_VIOLATION;
    }
    irp.ioStatus().setInformation(0);
    boolean load = ByteBuffer.wrap(input).order(ByteOrder.LITTLE_ENDIAN).getInt(0) != 0;
    UnicodeString name = UnicodeString.of(WineIoctls.DRIVER2_KEY);
    return load ? services.loadDriver(name) : services.unloadDriver(name);
  }

  /** driver.c, get_dword / get_fscontext. */
  private static NtStatus putDword(Irp irp, IoStackLocation stack, int value) {
    byte[] buffer = irp.systemBuffer();
    if (buffer == null) {
      return NtStatus.STATUS_ACCESS_VIOLATION;
    }
    if (stack.outputBufferLength() < 4) {
      return NtStatus.STATUS_BUFFER_TOO_SMALL;
    }
    ByteBuffer.wrap(buffer).order(ByteOrder.LITTLE_ENDIAN).putInt(0, value);
    irp.ioStatus().setInformation(4);
    return NtStatus.STATUS_SUCCESS;
  }

  /**
   * driver.c, return_status: writes "ghijkl" into the output buffer however the method passes
   * it, reports Information 3 and the requested IoStatus.Status, pends if asked, completes, and
   * returns the requested status.
   */
  private NtStatus returnStatus(Irp irp, IoStackLocation stack, int code) {
    ByteBuffer input;
    ByteBuffer output;
    if (code == WineIoctls.RETURN_STATUS_NEITHER) {
      input = stack.type3InputBuffer();
      output = irp.userBuffer();
    } else if (code == WineIoctls.RETURN_STATUS_DIRECT) {
      input = irp.systemBuffer() == null ? null : ByteBuffer.wrap(irp.systemBuffer());
      output = irp.mdlAddress() == null ? null : irp.mdlAddress().systemAddress();
    } else {
      input = irp.systemBuffer() == null ? null : ByteBuffer.wrap(irp.systemBuffer());
      output = input;
    }
    if (input == null || output == null) {
      return complete(irp, NtStatus.STATUS_ACCESS_VIOLATION);
    }
    if (stack.inputBufferLength() < 12 || stack.outputBufferLength() < 6) {
      return complete(irp, NtStatus.STATUS_BUFFER_TOO_SMALL);
    }
    ByteBuffer params = input.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    NtStatus retStatus = NtStatus.of(params.getInt(0));
    NtStatus iosbStatus = NtStatus.of(params.getInt(4));
    boolean pending = params.getInt(8) != 0;
    if (retStatus.equals(NtStatus.STATUS_PENDING) && !pending) {
      return complete(irp, NtStatus.STATUS_INVALID_PARAMETER);
    }
    if (pending) {
      irp.markPending();
    }
    // Intentionally report the wrong information (and status), as upstream does.
    output.duplicate().put(0, "ghijkl".getBytes(StandardCharsets.US_ASCII), 0, 6);
    irp.ioStatus().setInformation(3);
    irp.ioStatus().setStatus(iosbStatus);
    services.completeRequest(irp, IoControlCodes.IO_NO_INCREMENT);
    return retStatus;
  }

  NtStatus complete(Irp irp, NtStatus status) {
    irp.ioStatus().setStatus(status);
    services.completeRequest(irp, IoControlCodes.IO_NO_INCREMENT);
    return status;
  }
}
