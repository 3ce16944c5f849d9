package ntio.kernel.io;

import ntio.ddk.AccessMask;
import ntio.ddk.DispatchRoutine;
import ntio.ddk.Handle;
import ntio.ddk.IoControlCodes;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.ProcessorMode;
import ntio.kernel.executive.BugCheck;
import ntio.kernel.objects.ObjectManager.OpenResult;
import ntio.kernel.objects.ObjectManager.Referenced;
import ntio.kernel.process.KThread;

/**
 * Requests: building IRPs, sending them down a stack ({@code IoCallDriver}), completing them
 * ({@code IoCompleteRequest}), and the synchronous client calls that make them —
 * {@code NtCreateFile}, {@code NtReadFile}, {@code NtWriteFile}, {@code NtDeviceIoControlFile}
 * (partial: buffered I/O, synchronous; the full I/O path comes with its own issue).
 *
 * <p>A request holds a reference on its file object until it completes, which keeps the file — and
 * so the device's open count and the driver — alive under it.
 */
public final class Requests {

  private final IoManager io;

  Requests(IoManager io) {
    this.io = io;
  }

  /** The outcome of a read, write or device control: status, Information, and bytes returned. */
  public record IoResult(NtStatus status, long information, byte[] data) {
    static IoResult failed(NtStatus status) {
      return new IoResult(status, 0, new byte[0]);
    }
  }

  // Dispatch ------------------------------------------------------------------------------------

  /**
   * {@code IoCallDriver}: moves to the next stack location, points it at {@code device}, and calls
   * the device's driver's routine for the major function, with no lock held.
   */
  NtStatus callDriver(KernelDeviceObject device, KernelIrp irp) {
    if (!irp.advance()) {
      throw io.bugChecks.raise(BugCheck.DRIVER_VERIFIER_IOMANAGER_VIOLATION, 0x2, 0, 0, 0,
          device.driver().serviceName(), "IoCallDriver with no stack location left for " + device.describe());
    }
    KernelIrp.StackLocation location = irp.currentStackLocation();
    location.deviceObject = device;
    KernelDriverObject driver = device.driver();
    DispatchRoutine routine = driver.majorFunction(location.majorFunction);
    NtStatus status = io.callDriver(driver, () -> routine.dispatch(device, irp));
    if (status == null) {
      throw io.driverFault(driver, new NullPointerException(
          "dispatch routine for " + MajorFunctions.name(location.majorFunction) + " returned null"));
    }
    if (status.equals(NtStatus.STATUS_PENDING)) {
      irp.setPendingReturned();
    }
    return status;
  }

  /** {@code IoCompleteRequest}: a second completion is a bug check, as in NT. */
  void completeRequest(KernelIrp irp) {
    if (!irp.markComplete()) {
      throw io.bugChecks.raise(BugCheck.MULTIPLE_IRP_COMPLETE_REQUESTS, System.identityHashCode(irp), 0, 0, 0,
          null, "an IRP was completed twice");
    }
  }

  /**
   * Sends a request the I/O manager built to the top of {@code device}'s stack and waits for its
   * end: the status of a completed request, or the one the dispatch routine returned.
   */
  private NtStatus sendAndWait(KernelDeviceObject top, KernelIrp irp) {
    NtStatus returned = callDriver(top, irp);
    if (returned.equals(NtStatus.STATUS_PENDING)) {
      irp.awaitCompletion();
      return irp.ioStatus().status();
    }
    // A driver that returned a final status without completing is a driver bug the verifier
    // reports; without it, NT takes the returned status too.
    return irp.isComplete() ? irp.ioStatus().status() : returned;
  }

  private KernelIrp newIrp(KernelDeviceObject top, int major, KernelFileObject file, ProcessorMode mode, byte[] buffer) {
    int stackSize;
    synchronized (io.database) {
      stackSize = top.stackSizeLocked();
    }
    KernelIrp irp = new KernelIrp(stackSize, mode, buffer);
    KernelIrp.StackLocation next = irp.nextStackLocation();
    next.majorFunction = major;
    next.fileObject = file;
    return irp;
  }


  /** IRP_MJ_CREATE for a new file object, sent to the top of its device's stack (B37). */
  NtStatus create(KernelFileObject file, int desiredAccess, OpenPacket packet, ProcessorMode mode) {
    KernelDeviceObject top = io.devices.related(file);
    KernelIrp irp = newIrp(top, MajorFunctions.IRP_MJ_CREATE, file, mode, null);
    KernelIrp.StackLocation next = irp.nextStackLocation();
    next.desiredAccess = desiredAccess;
    next.shareAccess = packet.shareAccess();
    next.createOptions = packet.createOptions();
    return sendAndWait(top, irp);
  }

  /** IRP_MJ_CLEANUP or IRP_MJ_CLOSE for a file object, sent to the top of its stack (B39). */
  void sendCleanupOrClose(KernelFileObject file, int major) {
    KernelDeviceObject top = io.devices.related(file);
    sendAndWait(top, newIrp(top, major, file, ProcessorMode.KERNEL, null));
  }

  // Client calls ----------------------------------------------------------------------------------

  /**
   * Opens a device (or a name beneath one) for a client. Models {@code NtCreateFile} /
   * {@code NtOpenFile} on a device (partial: no file systems, so no dispositions; share access is
   * passed to the driver but not yet enforced).
   */
  public OpenResult ntCreateFile(KThread thread, int desiredAccess, ObjectAttributes attributes,
      int shareAccess, int createOptions) {
    return io.objects.openByName(attributes, io.fileType, desiredAccess, thread,
        new OpenPacket(shareAccess, createOptions, false));
  }

  /** Reads synchronously. Models {@code NtReadFile} (partial: buffered, synchronous). */
  public IoResult ntReadFile(KThread thread, Handle handle, int length, long byteOffset) {
    if (length < 0) {
      return IoResult.failed(NtStatus.STATUS_INVALID_PARAMETER);
    }
    return transfer(thread, handle, MajorFunctions.IRP_MJ_READ, AccessMask.FILE_READ_DATA, new byte[length],
        length, byteOffset, 0, 0, 0);
  }

  /** Writes synchronously. Models {@code NtWriteFile} (partial: buffered, synchronous). */
  public IoResult ntWriteFile(KThread thread, Handle handle, byte[] data, long byteOffset) {
    if (data == null) {
      return IoResult.failed(NtStatus.STATUS_ACCESS_VIOLATION);
    }
    return transfer(thread, handle, MajorFunctions.IRP_MJ_WRITE, AccessMask.FILE_WRITE_DATA, data.clone(),
        data.length, byteOffset, 0, 0, 0);
  }

  /**
   * Sends a device control synchronously. Models {@code NtDeviceIoControlFile} (partial: every
   * method is handled as METHOD_BUFFERED; the access the code requires is checked against the
   * handle).
   */
  public IoResult ntDeviceIoControlFile(KThread thread, Handle handle, int ioControlCode, byte[] input,
      int outputLength) {
    if (outputLength < 0) {
      return IoResult.failed(NtStatus.STATUS_INVALID_PARAMETER);
    }
    byte[] in = input == null ? new byte[0] : input;
    byte[] buffer = new byte[Math.max(in.length, outputLength)];
    System.arraycopy(in, 0, buffer, 0, in.length);
    int required = switch (IoControlCodes.requiredAccess(ioControlCode)) {
      case IoControlCodes.FILE_READ_ACCESS -> AccessMask.FILE_READ_DATA;
      case IoControlCodes.FILE_WRITE_ACCESS -> AccessMask.FILE_WRITE_DATA;
      case IoControlCodes.FILE_READ_ACCESS | IoControlCodes.FILE_WRITE_ACCESS ->
          AccessMask.FILE_READ_DATA | AccessMask.FILE_WRITE_DATA;
      default -> 0;
    };
    return transfer(thread, handle, MajorFunctions.IRP_MJ_DEVICE_CONTROL, required, buffer, outputLength, 0,
        ioControlCode, in.length, outputLength);
  }

  private IoResult transfer(KThread thread, Handle handle, int major, int access, byte[] buffer, int length,
      long byteOffset, int ioControlCode, int inputLength, int outputLength) {
    Referenced<KernelFileObject> found = io.objects.referenceByHandle(handle, access, io.fileType, thread);
    if (!found.isSuccess()) {
      return IoResult.failed(found.status());
    }
    KernelFileObject file = found.object();
    try {
      KernelDeviceObject top = io.devices.related(file);
      KernelIrp irp = newIrp(top, major, file, thread.previousMode(), buffer);
      KernelIrp.StackLocation next = irp.nextStackLocation();
      next.length = length;
      next.byteOffset = byteOffset;
      next.ioControlCode = ioControlCode;
      next.inputBufferLength = inputLength;
      next.outputBufferLength = outputLength;
      NtStatus status = sendAndWait(top, irp);
      long information = irp.isComplete() ? irp.ioStatus().information() : 0;
      byte[] out = new byte[0];
      if (major != MajorFunctions.IRP_MJ_WRITE && status.isSuccess()) {
        int count = (int) Math.max(0, Math.min(information, Math.min(buffer.length, major == MajorFunctions.IRP_MJ_READ ? length : outputLength)));
        out = java.util.Arrays.copyOf(buffer, count);
      }
      return new IoResult(status, information, out);
    } finally {
      file.dereference();
    }
  }
}
