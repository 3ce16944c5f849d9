package ntio.conformance.reactos;

import static ntio.conformance.reactos.IoReadWriteKeys.KEY_RETURN_PENDING;
import static ntio.conformance.reactos.IoReadWriteKeys.TEST_FILE_SIZE;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import ntio.ddk.DeviceFlags;
import ntio.ddk.DeviceObject;
import ntio.ddk.DeviceTypes;
import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.FileObject;
import ntio.ddk.IoStackLocation;
import ntio.ddk.IoStatusBlock;
import ntio.ddk.Irp;
import ntio.ddk.KernelServices;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;

/**
 * The kernel half of ReactOS's read/write test, on the non-cached IRP path. Port of
 * reactos/reactos {@code modules/rostests/kmtests/ntos_io/IoReadWrite_drv.c} ({@code TestEntry},
 * {@code TestIrpHandler}, {@code TestCommonRead}, {@code TestCommonWrite}) and of what
 * {@code kmtests/kmtest_drv/kmtest_standalone.c} does around them: it creates
 * {@code \Device\Kmtest-IoReadWrite} (unknown type, secure open, not read-only, not exclusive,
 * buffered I/O), routes IRP_MJ_CREATE, CLEANUP, READ and WRITE to {@code TestIrpHandler}, succeeds
 * CLOSE, and deletes the device at unload.
 *
 * <p>Not ported: the fast I/O routines ({@code TestFastIoRead}, {@code TestFastIoWrite}) and the
 * cache manager callbacks and {@code CcInitializeCacheMap} of a cached open — ntio has neither
 * fast I/O nor a cache manager; the checks that the system buffer lies above
 * {@code MM_USER_PROBE_ADDRESS} — ntio has no address space.
 *
 * <p>The handler's own checks on a read or write ({@code DeviceObject == TestDeviceObject},
 * {@code FileObject == TestFileObject}, on a cached open the key against the last fast I/O key,
 * and for a write every byte of the buffer) are recorded
 * once per request, under {@code IRP_MJ_READ key=0x........} or {@code IRP_MJ_WRITE ...}.
 */
public final class IoReadWriteDriver implements DriverEntry {

  /** The suite the checks are recorded under. */
  static final String SUITE = "ReactOS-IoReadWrite";

  private KmtChecks ok;
  private DeviceObject testDevice;
  private volatile DeviceObject testDeviceObject;
  private volatile FileObject testFileObject;
  /**
   * Upstream's {@code TestLastFastReadKey} and {@code TestLastFastWriteKey}: set by its fast I/O
   * routines, which ntio never calls (it has no fast I/O), so they keep their initial 0.
   */
  private static final int TEST_LAST_FAST_KEY = 0;

  /** Upstream's {@code TEST_FCB}, less the cache manager's header and section pointers. */
  private static final class TestFcb {
    final boolean cached;
    final String fileName; // for the failure text only

    TestFcb(boolean cached, String fileName) {
      this.cached = cached;
      this.fileName = fileName;
    }
  }

  /** Needed by the image loader. */
  public IoReadWriteDriver() {}

  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    ok = KmtChecks.forSuite(driver, SUITE);
    KernelServices services = driver.services();
    KernelServices.DeviceResult created = services.createDevice(driver, null,
        UnicodeString.of("\\Device\\Kmtest-IoReadWrite"), DeviceTypes.FILE_DEVICE_UNKNOWN,
        DeviceTypes.FILE_DEVICE_SECURE_OPEN, false);
    if (!created.status().isSuccess()) {
      return created.status();
    }
    testDevice = created.device();
    testDevice.setFlags(DeviceFlags.DO_BUFFERED_IO);
    driver.setDriverUnload(d -> d.services().deleteDevice(testDevice));
    for (int i = 0; i <= MajorFunctions.IRP_MJ_MAXIMUM_FUNCTION; i++) {
      driver.setMajorFunction(i, this::driverDispatch);
    }
    return NtStatus.STATUS_SUCCESS;
  }

  /** kmtest_standalone.c {@code DriverDispatch} with the handlers IoReadWrite registers. */
  private NtStatus driverDispatch(DeviceObject device, Irp irp) {
    int major = irp.currentStackLocation().majorFunction();
    switch (major) {
      case MajorFunctions.IRP_MJ_CREATE, MajorFunctions.IRP_MJ_CLEANUP,
          MajorFunctions.IRP_MJ_READ, MajorFunctions.IRP_MJ_WRITE -> {
        return testIrpHandler(device, irp, irp.currentStackLocation());
      }
      case MajorFunctions.IRP_MJ_DEVICE_CONTROL, MajorFunctions.IRP_MJ_INTERNAL_DEVICE_CONTROL -> {
        // DeviceControlHandler with no message handler registered.
        irp.ioStatus().setStatus(NtStatus.STATUS_SUCCESS);
        irp.ioStatus().setInformation(irp.currentStackLocation().outputBufferLength());
        device.driverObject().services().completeRequest(irp, 0);
        return NtStatus.STATUS_SUCCESS;
      }
      default -> {
        NtStatus status = major == MajorFunctions.IRP_MJ_CLOSE
            ? NtStatus.STATUS_SUCCESS : NtStatus.STATUS_INVALID_DEVICE_REQUEST;
        irp.ioStatus().setStatus(status);
        irp.ioStatus().setInformation(0);
        device.driverObject().services().completeRequest(irp, 0);
        return status;
      }
    }
  }

  /** {@code TestIrpHandler}. */
  private NtStatus testIrpHandler(DeviceObject device, Irp irp, IoStackLocation ioStack) {
    NtStatus status = NtStatus.STATUS_NOT_SUPPORTED;
    irp.ioStatus().setInformation(0);
    FileObject file = ioStack.fileObject();
    switch (ioStack.majorFunction()) {
      case MajorFunctions.IRP_MJ_CREATE -> {
        UnicodeString fileName = file.fileName();
        int nameLength = fileName == null ? 0 : fileName.length();
        if (nameLength >= 2 * 2) {
          testDeviceObject = device;
          testFileObject = file;
        }
        // "\NonCached" is not cached, "\Cached" would be (its cache map is not ported).
        boolean cached = nameLength >= 2 * 2 && fileName.buffer()[1] != 'N';
        file.setFsContext(new TestFcb(cached,
            fileName == null || !fileName.isReadable() ? null : fileName.text()));
        irp.ioStatus().setInformation(1); // FILE_OPENED
        status = NtStatus.STATUS_SUCCESS;
      }
      case MajorFunctions.IRP_MJ_CLEANUP -> {
        file.setFsContext(null);
        status = NtStatus.STATUS_SUCCESS;
      }
      case MajorFunctions.IRP_MJ_READ -> {
        int key = IoReadWriteKeys.keyOf(ioStack.byteOffset());
        List<String> failed = new ArrayList<>();
        expectSame(failed, "DeviceObject", testDeviceObject, device);
        expectSame(failed, "FileObject", testFileObject, file);
        if (isCached(file) && key != TEST_LAST_FAST_KEY) {
          failed.add(String.format("FCB cached (FileName '%s'): Key 0x%X != TestLastFastReadKey"
              + " 0x%X", fcbFileName(file), key, TEST_LAST_FAST_KEY));
        }
        ok.ok(checkName("IRP_MJ_READ", key), failed.isEmpty(), failed);
        status = testCommonRead(irp.systemBuffer(), ioStack.length(),
            IoReadWriteKeys.fileOffsetOf(ioStack.byteOffset()), key, irp.ioStatus());
      }
      case MajorFunctions.IRP_MJ_WRITE -> {
        int key = IoReadWriteKeys.keyOf(ioStack.byteOffset());
        List<String> failed = new ArrayList<>();
        expectSame(failed, "DeviceObject", testDeviceObject, device);
        expectSame(failed, "FileObject", testFileObject, file);
        if (isCached(file) && key != TEST_LAST_FAST_KEY) {
          failed.add(String.format("FCB cached (FileName '%s'): Key 0x%X != TestLastFastWriteKey"
              + " 0x%X", fcbFileName(file), key, TEST_LAST_FAST_KEY));
        }
        byte[] buffer = irp.systemBuffer();
        int expected = IoReadWriteKeys.dataOf(key);
        for (int i = 0; i < ioStack.length(); i++) {
          int actual = buffer == null || i >= buffer.length ? -1 : buffer[i] & 0xff;
          if (actual != expected) {
            failed.add(String.format("Buffer[%d] = 0x%x, expected 0x%x", i, actual, expected));
            break;
          }
        }
        ok.ok(checkName("IRP_MJ_WRITE", key), failed.isEmpty(), failed);
        status = testCommonWrite(ioStack.length(), key, irp.ioStatus());
      }
      default -> { }
    }
    KernelServices services = device.driverObject().services();
    if (status.equals(NtStatus.STATUS_PENDING)) {
      irp.markPending();
      services.completeRequest(irp, 0);
      return NtStatus.STATUS_PENDING;
    }
    irp.ioStatus().setStatus(status);
    services.completeRequest(irp, 0);
    return status;
  }

  /**
   * Whether the open's FCB says cached: upstream checks a cached file's request key against the
   * last fast I/O key. Only {@code \Cached} is, by its name's second character (after the
   * leading backslash the I/O manager keeps).
   */
  private static boolean isCached(FileObject file) {
    return file.fsContext() instanceof TestFcb fcb && fcb.cached;
  }

  private static String fcbFileName(FileObject file) {
    return file.fsContext() instanceof TestFcb fcb ? fcb.fileName : null;
  }

  /** The name the per-request check of {@code major} with {@code key} is recorded under. */
  static String checkName(String major, int key) {
    return String.format("%s key=0x%08X", major, key);
  }

  /** {@code TestCommonRead}. */
  private static NtStatus testCommonRead(byte[] buffer, int length, long fileOffset, int lockKey,
      IoStatusBlock ioStatus) {
    if (fileOffset >= TEST_FILE_SIZE) {
      ioStatus.setStatus(NtStatus.STATUS_END_OF_FILE);
      ioStatus.setInformation(0);
    } else if (length == 0 || buffer == null || buffer.length == 0) {
      ioStatus.setStatus(NtStatus.STATUS_BUFFER_OVERFLOW);
      ioStatus.setInformation(TEST_FILE_SIZE - fileOffset);
    } else {
      int count = (int) Math.min(length, TEST_FILE_SIZE - fileOffset);
      Arrays.fill(buffer, 0, count, (byte) IoReadWriteKeys.dataOf(lockKey));
      ioStatus.setStatus(IoReadWriteKeys.returnStatus(lockKey));
      ioStatus.setInformation(count);
    }
    if ((lockKey & KEY_RETURN_PENDING) != 0) {
      return NtStatus.STATUS_PENDING;
    }
    return ioStatus.status();
  }

  /** {@code TestCommonWrite} (its byte checks are made by the caller, with the others). */
  private static NtStatus testCommonWrite(int length, int lockKey, IoStatusBlock ioStatus) {
    ioStatus.setStatus(IoReadWriteKeys.returnStatus(lockKey));
    ioStatus.setInformation(length);
    if ((lockKey & KEY_RETURN_PENDING) != 0) {
      return NtStatus.STATUS_PENDING;
    }
    return ioStatus.status();
  }

  private static void expectSame(List<String> failed, String what, Object expected,
      Object actual) {
    if (expected != actual) {
      failed.add(what + " is " + actual + ", expected " + expected);
    }
  }
}
