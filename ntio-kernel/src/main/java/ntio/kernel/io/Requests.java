package ntio.kernel.io;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import ntio.ddk.AccessMask;
import ntio.ddk.CancelRoutine;
import ntio.ddk.CompletionRoutine;
import ntio.ddk.DeviceFlags;
import ntio.ddk.DeviceObject;
import ntio.ddk.DispatchRoutine;
import ntio.ddk.FileInformationClass;
import ntio.ddk.Handle;
import ntio.ddk.IoControlCodes;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.ProcessorMode;
import ntio.kernel.executive.BugCheck;
import ntio.kernel.executive.WorkQueueType;
import ntio.kernel.objects.ObjectManager.OpenResult;
import ntio.kernel.objects.ObjectManager.Referenced;
import ntio.kernel.process.KProcess;
import ntio.kernel.process.KThread;

/**
 * The I/O path: sending IRPs down a device stack, completing them back up through completion
 * routines, cancelling them, and the client calls that make them. Models {@code IoCallDriver},
 * {@code IoCompleteRequest} with {@code IopCompleteRequest}, {@code IoCancelIrp}, and {@code
 * NtReadFile}, {@code NtWriteFile}, {@code NtDeviceIoControlFile}, {@code NtCancelIoFile(Ex)}
 * (partial: buffered I/O only).
 *
 * <p>Driver code always runs with no kernel lock held. An outstanding request holds a reference
 * to its file object, so the file object, its device and the driver stay while a request is
 * pending: a deferred unload completes only after the request is completed and the handle closed.
 *
 * <p>No request escapes its process's rundown: a client request is listed under its process's
 * rundown lock before any driver sees it ({@link #track}), so the rundown either finds and cancels
 * it or the request is refused with {@code STATUS_PROCESS_IS_TERMINATING} (a synchronous call whose
 * driver already pended it cancels it itself).
 */
public final class Requests {

  /** How long cancelling a process's or a file's requests waits for drivers to complete them. */
  static final Duration DEFAULT_CANCEL_WAIT = Duration.ofSeconds(10);

  /** The empty buffer: shared, since nothing can be written into it. */
  private static final byte[] NO_BYTES = new byte[0];

  /** The view of an empty caller buffer: shared, since the IRP hands out only duplicates. */
  private static final ByteBuffer NO_VIEW = ByteBuffer.allocate(0).asReadOnlyBuffer();

  private final IoManager io;

  /** Client requests not yet finished, by process: NT's per-thread IRP lists. */
  private final ConcurrentHashMap<KProcess, Set<IoRequest>> outstanding = new ConcurrentHashMap<>();

  /** Processes whose rundown hook is registered. */
  private final Set<KProcess> hooked = ConcurrentHashMap.newKeySet();

  /** Requests a rundown or cancel gave up waiting for: cancelled, never completed. */
  private final Set<IoRequest> abandoned = ConcurrentHashMap.newKeySet();

  /** 0xC4's first parameter for a cancelled IRP its driver did not complete in time. */
  public static final int CANCELLED_IRP_NOT_COMPLETED = 0x135;

  private volatile Duration cancelWait = DEFAULT_CANCEL_WAIT;

  Requests(IoManager io) {
    this.io = io;
  }

  /**
   * The result of a synchronous read, write or device control.
   *
   * @param status the final status ({@code IoStatus.Status})
   * @param information {@code IoStatus.Information}
   * @param data the bytes a read or device control returned; empty otherwise
   */
  public record IoResult(NtStatus status, long information, byte[] data) {
    static IoResult failed(NtStatus status) {
      return new IoResult(status, 0, new byte[0]);
    }

  }

  /** Sets how long cancels and rundowns wait for drivers to complete cancelled requests. */
  void setCancelWait(Duration wait) {
    this.cancelWait = Objects.requireNonNull(wait, "wait");
  }

  // Dispatch ------------------------------------------------------------------------------------

  /**
   * {@code IoCallDriver}: the next stack location becomes the current one, for {@code device},
   * and the dispatch routine for its major function runs.
   */
  NtStatus callDriver(KernelDeviceObject device, KernelIrp irp) {
    if (irp.isFreed()) {
      throw io.bugChecks.raise(BugCheck.DRIVER_VERIFIER_IOMANAGER_VIOLATION, 0x03,
          System.identityHashCode(irp), 0, 0, device.driver().serviceName(),
          "IoCallDriver with " + irp + ", which was freed");
    }
    if (!irp.advance()) {
      throw io.bugChecks.raise(BugCheck.NO_MORE_IRP_STACK_LOCATIONS, System.identityHashCode(irp), 0,
          0, 0, device.driver().serviceName(),
          "IoCallDriver with no stack location left for " + device.describe());
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
    return status;
  }

  /**
   * {@code IoCompleteRequest}: walks the stack up from the current location, running the
   * completion routine each driver set for the one below it (bottom-up), propagating pending as NT
   * does when a driver set none, and stopping where a routine returns {@code
   * STATUS_MORE_PROCESSING_REQUIRED}. Past the top location the request is finished and goes back
   * to its sender.
   */
  void completeRequest(KernelIrp irp) {
    NtStatus status = irp.ioStatus().status();
    if (!irp.beginCompletion()) {
      throw io.bugChecks.raise(BugCheck.MULTIPLE_IRP_COMPLETE_REQUESTS, System.identityHashCode(irp),
          0, 0, 0, driverNameAt(irp), "IoCompleteRequest of " + irp + ", which was already completed");
    }
    if (status.equals(NtStatus.STATUS_PENDING)) {
      throw io.bugChecks.raise(BugCheck.DRIVER_VERIFIER_IOMANAGER_VIOLATION, 0x06, status.code(),
          System.identityHashCode(irp), 0, driverNameAt(irp),
          "IoCompleteRequest of " + irp + " with STATUS_PENDING in IoStatus");
    }
    // A cancel routine left set could run on a finished request; it never will.
    irp.takeCancelRoutine();
    int stackCount = irp.stackCount();
    for (int index = irp.currentLocationIndex(); index <= stackCount; index++) {
      KernelIrp.StackLocation stack = irp.location(index);
      irp.setCurrentLocationIndex(index + 1);
      irp.setPendingReturned((stack.control & KernelIrp.SL_PENDING_RETURNED) != 0);
      CompletionRoutine routine = stack.completionRoutine;
      Object context = stack.context;
      int control = stack.control;
      stack.clearCompletion();
      NtStatus current = irp.ioStatus().status();
      boolean invoke = routine != null
          && ((current.isSuccess() && (control & KernelIrp.SL_INVOKE_ON_SUCCESS) != 0)
              || (!current.isSuccess() && (control & KernelIrp.SL_INVOKE_ON_ERROR) != 0)
              || (irp.isCancelled() && (control & KernelIrp.SL_INVOKE_ON_CANCEL) != 0));
      if (invoke) {
        KernelDeviceObject upper = index + 1 <= stackCount
            ? (KernelDeviceObject) irp.location(index + 1).deviceObject : null;
        KernelDriverObject blamed = upper != null ? upper.driver()
            : ((KernelDeviceObject) stack.deviceObject).driver();
        NtStatus returned = io.callDriver(blamed, () -> routine.onCompletion(upper, irp, context));
        if (NtStatus.STATUS_MORE_PROCESSING_REQUIRED.equals(returned)) {
          irp.handBack();
          return;
        }
      } else if (irp.pendingReturned() && index + 1 <= stackCount) {
        irp.location(index + 1).control |= KernelIrp.SL_PENDING_RETURNED;
      }
    }
    irp.finish();
  }

  /** {@code IoFreeIrp}: only for a request a driver allocated, once. */
  void freeIrp(KernelIrp irp, String driver) {
    if (!irp.isAllocated()) {
      throw io.bugChecks.raise(BugCheck.DRIVER_VERIFIER_IOMANAGER_VIOLATION, 0x02,
          System.identityHashCode(irp), 0, 0, driver,
          "IoFreeIrp of " + irp + ", which the I/O manager made for a caller");
    }
    if (!irp.markFreed()) {
      throw io.bugChecks.raise(BugCheck.DRIVER_VERIFIER_IOMANAGER_VIOLATION, 0x01,
          System.identityHashCode(irp), 0, 0, driver, "IoFreeIrp of " + irp + " a second time");
    }
  }

  /**
   * {@code IoCancelIrp}: marks the request cancelled and, if it has a cancel routine, takes it and
   * calls it, without any kernel lock.
   *
   * @return whether a cancel routine was called
   */
  boolean cancelIrp(KernelIrp irp) {
    CancelRoutine routine = irp.markCancelledAndTakeRoutine();
    if (routine == null) {
      return false;
    }
    int current = irp.currentLocationIndex();
    KernelDeviceObject device = current >= 1 && current <= irp.stackCount()
        ? (KernelDeviceObject) irp.location(current).deviceObject : null;
    if (device == null) {
      throw io.bugChecks.raise(BugCheck.DRIVER_VERIFIER_IOMANAGER_VIOLATION, 0x07, 0,
          System.identityHashCode(irp), 0, null, "a cancel routine set on " + irp
              + ", which no driver holds");
    }
    io.callDriver(device.driver(), () -> {
      routine.cancel(device, irp);
      return null;
    });
    return true;
  }

  private String driverNameAt(KernelIrp irp) {
    int current = irp.currentLocationIndex();
    if (current >= 1 && current <= irp.stackCount()
        && irp.location(current).deviceObject instanceof KernelDeviceObject device) {
      return device.driver().serviceName();
    }
    return null;
  }

  // Requests the I/O manager makes and waits for ---------------------------------------------------

  /**
   * Sends a request the I/O manager itself waits for (create, cleanup, close): however the driver
   * answers, the result is the request's final status once it has completed. A driver that returns
   * a final status without completing the request had it completed by the I/O manager with that
   * status (NT would leave it; the verifier reports it).
   */
  private NtStatus sendAndWait(KernelDeviceObject top, KernelIrp irp) {
    NtStatus returned = callDriver(top, irp);
    settle(irp, returned);
    irp.awaitFinished();
    return irp.ioStatus().status();
  }

  /** After IoCallDriver returned: complete for a driver that gave a final status but did not. */
  private void settle(KernelIrp irp, NtStatus returned) {
    if (!returned.equals(NtStatus.STATUS_PENDING) && !irp.isFinished()
        && !irp.isCompletionStarted()) {
      if (irp.ioStatus().status().equals(NtStatus.STATUS_PENDING)) {
        irp.ioStatus().setStatus(returned);
      }
      irp.setCurrentLocationIndex(irp.stackCount());
      completeRequest(irp);
    }
  }

  private static KernelIrp newIrp(int stackSize, int major,
      KernelFileObject file, ProcessorMode mode, byte[] buffer, KernelIrp.Finisher finisher) {
    KernelIrp irp = new KernelIrp(stackSize, mode, buffer, file, finisher);
    KernelIrp.StackLocation next = irp.nextStackLocation();
    next.majorFunction = major;
    next.fileObject = file;
    return irp;
  }

  /**
   * What a read, write, device control or flush carries: the major function, the access the
   * handle needs, the caller's data (a write's bytes, a control's input; not copied) and the
   * parameters of the first stack location.
   */
  private record Transfer(int major, int access, byte[] data, int length, long byteOffset,
      int ioControlCode, int inputLength, int outputLength, int informationClass) {

    static Transfer of(int major, int access, byte[] data, int length, long byteOffset) {
      return new Transfer(major, access, data, length, byteOffset, 0, 0, 0, 0);
    }

    static Transfer control(int major, int access, byte[] input, int ioControlCode,
        int outputLength) {
      return new Transfer(major, access, input, 0, 0, ioControlCode, input.length, outputLength, 0);
    }

    /** A query (data null) or set of file information: always through the system buffer. */
    static Transfer information(int major, int access, byte[] data, int length,
        int informationClass) {
      return new Transfer(major, access, data, length, 0, 0, 0, 0, informationClass);
    }

    void applyTo(KernelIrp.StackLocation next) {
      next.length = length;
      next.byteOffset = byteOffset;
      next.fileInformationClass = informationClass;
      next.ioControlCode = ioControlCode;
      next.inputBufferLength = inputLength;
      next.outputBufferLength = outputLength;
    }

    /** How many bytes may go back to the caller: none unless the request reads. */
    int returnLimit() {
      return switch (major) {
        case MajorFunctions.IRP_MJ_READ, MajorFunctions.IRP_MJ_QUERY_INFORMATION -> length;
        case MajorFunctions.IRP_MJ_DEVICE_CONTROL, MajorFunctions.IRP_MJ_INTERNAL_DEVICE_CONTROL ->
            outputLength;
        default -> 0;
      };
    }

    /**
     * The buffers, as NT chooses them: for a read or write by the device's {@code DO_BUFFERED_IO}
     * and {@code DO_DIRECT_IO} flags (neither means neither I/O), for a device control by the
     * control code's method.
     */
    Buffers buffers(int deviceFlags) {
      switch (major) {
        case MajorFunctions.IRP_MJ_READ, MajorFunctions.IRP_MJ_WRITE -> {
          boolean write = major == MajorFunctions.IRP_MJ_WRITE;
          if ((deviceFlags & DeviceFlags.DO_BUFFERED_IO) != 0) {
            byte[] system = write ? data.clone() : newBuffer(length);
            return new Buffers(system, null, null, null, system);
          }
          byte[] caller = write ? data : newBuffer(length);
          if ((deviceFlags & DeviceFlags.DO_DIRECT_IO) != 0) {
            return new Buffers(NO_BYTES, new KernelMdl(caller, length, !write), null, null, caller);
          }
          if (length == 0) {
            return new Buffers(NO_BYTES, null, NO_VIEW, null, NO_BYTES);
          }
          ByteBuffer user = ByteBuffer.wrap(caller, 0, length).slice();
          return new Buffers(NO_BYTES, null, write ? user.asReadOnlyBuffer() : user, null, caller);
        }
        case MajorFunctions.IRP_MJ_DEVICE_CONTROL, MajorFunctions.IRP_MJ_INTERNAL_DEVICE_CONTROL -> {
          int method = IoControlCodes.method(ioControlCode);
          if (method == IoControlCodes.METHOD_BUFFERED) {
            byte[] system = Arrays.copyOf(data, Math.max(inputLength, outputLength));
            return new Buffers(system, null, null, null, system);
          }
          byte[] output = newBuffer(outputLength);
          if (method == IoControlCodes.METHOD_NEITHER) {
            ByteBuffer input = inputLength == 0 ? null
                : ByteBuffer.wrap(data, 0, inputLength).slice().asReadOnlyBuffer();
            return new Buffers(NO_BYTES, null, ByteBuffer.wrap(output), input, output);
          }
          KernelMdl mdl = outputLength == 0 ? null
              : new KernelMdl(output, outputLength, method == IoControlCodes.METHOD_OUT_DIRECT);
          return new Buffers(data.clone(), mdl, null, null, output);
        }
        case MajorFunctions.IRP_MJ_QUERY_INFORMATION -> {
          byte[] system = newBuffer(length);
          return new Buffers(system, null, null, null, system);
        }
        case MajorFunctions.IRP_MJ_SET_INFORMATION -> {
          return new Buffers(data.clone(), null, null, null, NO_BYTES);
        }
        default -> {
          return new Buffers(NO_BYTES, null, null, null, NO_BYTES);
        }
      }
    }

    private static byte[] newBuffer(int length) {
      return length == 0 ? NO_BYTES : new byte[length];
    }
  }

  /**
   * A request's buffers: the system buffer, the MDL and user buffer over the caller's memory, a
   * METHOD_NEITHER control's input, and the array whose first bytes go back to the caller.
   */
  private record Buffers(byte[] system, KernelMdl mdl, ByteBuffer user, ByteBuffer type3,
      byte[] result) {}

  /** A request about to be sent, the top of its stack where it goes, and where its result is. */
  private record Prepared(KernelIrp irp, KernelDeviceObject top, byte[] result) {}

  /**
   * Builds a request for {@code top}'s stack (the top of a file's, or a device a driver named):
   * its stack size and flags are read under one lock, and choose the request's buffers.
   *
   * @param finisherFor makes the request's finisher from the array its result will be in; null
   *     when the sender waits for the request itself
   */
  private Prepared prepare(KernelDeviceObject device, boolean findTop, Transfer transfer,
      KernelFileObject file, ProcessorMode mode,
      java.util.function.Function<byte[], KernelIrp.Finisher> finisherFor) {
    KernelDeviceObject top;
    int stackSize;
    int flags;
    synchronized (io.database) {
      top = findTop ? Devices.topLocked(device) : device;
      stackSize = top.stackSizeLocked();
      flags = top.flagsLocked();
    }
    Buffers buffers = transfer.buffers(flags);
    KernelIrp irp = newIrp(stackSize, transfer.major(), file, mode, buffers.system(),
        finisherFor == null ? null : finisherFor.apply(buffers.result()));
    irp.setCallerBuffers(buffers.mdl(), buffers.user());
    KernelIrp.StackLocation next = irp.nextStackLocation();
    transfer.applyTo(next);
    next.type3InputBuffer = buffers.type3();
    return new Prepared(irp, top, buffers.result());
  }

  NtStatus create(KernelFileObject file, int desiredAccess, OpenPacket packet, ProcessorMode mode) {
    Prepared prepared = prepare(file.device(), true,
        Transfer.of(MajorFunctions.IRP_MJ_CREATE, 0, null, 0, 0), file, mode, null);
    KernelIrp.StackLocation next = prepared.irp().nextStackLocation();
    next.desiredAccess = desiredAccess;
    next.shareAccess = packet.shareAccess();
    next.createOptions = packet.createOptions();
    return sendAndWait(prepared.top(), prepared.irp());
  }

  /**
   * {@code IoQueryFileInformation}: a kernel-mode IRP_MJ_QUERY_INFORMATION for {@code file}, sent
   * to the top of its stack and waited for; the result holds what the driver wrote, cut to its
   * Information. No handle is involved, so no access is checked.
   */
  IoResult queryInformation(KernelFileObject file, int informationClass, int length) {
    Transfer transfer = Transfer.information(MajorFunctions.IRP_MJ_QUERY_INFORMATION, 0, null,
        length, informationClass);
    Prepared prepared = prepare(file.device(), true, transfer, file, ProcessorMode.KERNEL, null);
    NtStatus status = sendAndWait(prepared.top(), prepared.irp());
    long information = prepared.irp().ioStatus().information();
    return new IoResult(status, information,
        returnedBytes(prepared.result(), transfer.returnLimit(), status, information));
  }

  void sendCleanupOrClose(KernelFileObject file, int major) {
    Prepared prepared = prepare(file.device(), true, Transfer.of(major, 0, null, 0, 0), file,
        ProcessorMode.KERNEL, null);
    sendAndWait(prepared.top(), prepared.irp());
  }

  // Requests drivers build ------------------------------------------------------------------------

  /**
   * {@code IoBuildSynchronousFsdRequest}: a kernel-mode request for {@code device}'s stack that
   * the I/O manager completes into the waiting driver.
   */
  BuiltRequest buildTransfer(KernelDeviceObject device, int major, byte[] data, int length,
      long byteOffset) {
    return build(device, Transfer.of(major, 0, data, length, byteOffset));
  }

  /** {@code IoBuildDeviceIoControlRequest}'s request; see {@link #buildTransfer}. */
  BuiltRequest buildControl(KernelDeviceObject device, int major, byte[] input,
      int ioControlCode, int outputLength) {
    return build(device, Transfer.control(major, 0, input, ioControlCode, outputLength));
  }

  private BuiltRequest build(KernelDeviceObject device, Transfer transfer) {
    Prepared prepared = prepare(device, false, transfer, null, ProcessorMode.KERNEL, null);
    return new BuiltRequest(prepared.irp(), prepared.result(), transfer.returnLimit());
  }

  /** A request a driver built; see {@link ntio.ddk.BuiltRequest}. */
  static final class BuiltRequest implements ntio.ddk.BuiltRequest {
    private final KernelIrp irp;
    private final byte[] result;
    private final int outputLimit;

    BuiltRequest(KernelIrp irp, byte[] result, int outputLimit) {
      this.irp = irp;
      this.result = result;
      this.outputLimit = outputLimit;
    }

    @Override
    public KernelIrp irp() {
      return irp;
    }

    @Override
    public NtStatus await() {
      irp.awaitFinished();
      return irp.ioStatus().status();
    }

    @Override
    public long information() {
      return irp.isFinished() ? irp.ioStatus().information() : 0;
    }

    @Override
    public byte[] output() {
      if (!irp.isFinished()) {
        return NO_BYTES;
      }
      return returnedBytes(result, outputLimit, irp.ioStatus().status(),
          irp.ioStatus().information()).clone();
    }

    @Override
    public String toString() {
      return "BuiltRequest[" + irp + "]";
    }
  }

  // Client calls ----------------------------------------------------------------------------------

  public OpenResult ntCreateFile(KThread thread, int desiredAccess, ObjectAttributes attributes,
      int shareAccess, int createOptions) {
    return io.objects.openByName(attributes, io.fileType, desiredAccess, thread,
        new OpenPacket(shareAccess, createOptions, false));
  }

  /** {@code NtReadFile}, waiting for the result. */
  public IoResult ntReadFile(KThread thread, Handle handle, int length, long byteOffset) {
    if (length < 0) {
      return IoResult.failed(NtStatus.STATUS_INVALID_PARAMETER);
    }
    return callAndWait(thread, handle, Transfer.of(MajorFunctions.IRP_MJ_READ,
        AccessMask.FILE_READ_DATA, null, length, byteOffset));
  }

  /** {@code NtWriteFile}, waiting for the result. */
  public IoResult ntWriteFile(KThread thread, Handle handle, byte[] data, long byteOffset) {
    if (data == null) {
      return IoResult.failed(NtStatus.STATUS_ACCESS_VIOLATION);
    }
    return callAndWait(thread, handle, Transfer.of(MajorFunctions.IRP_MJ_WRITE,
        AccessMask.FILE_WRITE_DATA, data, data.length, byteOffset));
  }

  /** {@code NtDeviceIoControlFile}, waiting for the result. */
  public IoResult ntDeviceIoControlFile(KThread thread, Handle handle, int ioControlCode,
      byte[] input, int outputLength) {
    if (outputLength < 0) {
      return IoResult.failed(NtStatus.STATUS_INVALID_PARAMETER);
    }
    return callAndWait(thread, handle, Transfer.control(MajorFunctions.IRP_MJ_DEVICE_CONTROL,
        requiredAccess(ioControlCode), input == null ? NO_BYTES : input, ioControlCode,
        outputLength));
  }

  /**
   * {@code NtFlushBuffersFile}: sends IRP_MJ_FLUSH_BUFFERS and waits for it. The handle needs
   * {@code FILE_WRITE_DATA} or {@code FILE_APPEND_DATA} ({@code STATUS_ACCESS_DENIED} otherwise),
   * as NT requires. Models {@code NtFlushBuffersFile} (full for devices).
   */
  public NtStatus ntFlushBuffersFile(KThread thread, Handle handle) {
    Referenced<KernelFileObject> found =
        io.objects.referenceByHandle(handle, 0, io.fileType, thread);
    if (!found.isSuccess()) {
      return found.status();
    }
    found.object().dereference();
    if ((found.grantedAccess() & (AccessMask.FILE_WRITE_DATA | AccessMask.FILE_APPEND_DATA)) == 0) {
      return NtStatus.STATUS_ACCESS_DENIED;
    }
    return callAndWait(thread, handle,
        Transfer.of(MajorFunctions.IRP_MJ_FLUSH_BUFFERS, 0, null, 0, 0)).status();
  }

  /**
   * {@code NtQueryInformationFile}: what a class of information says of the open. The class must
   * be one that can be queried ({@code STATUS_INVALID_INFO_CLASS}), the length at least its size
   * ({@code STATUS_INFO_LENGTH_MISMATCH}) and the handle granted its access ({@code
   * STATUS_ACCESS_DENIED}), all checked before any driver sees it. The I/O manager answers {@code
   * FileAccessInformation}, {@code FileModeInformation} and {@code FileAlignmentInformation}
   * itself; the rest go to the driver as IRP_MJ_QUERY_INFORMATION. Models {@code
   * NtQueryInformationFile} (partial: the classes of {@link FileInformationClass}).
   */
  public IoResult ntQueryInformationFile(KThread thread, Handle handle, int informationClass,
      int length) {
    int minimum = FileInformationClass.queryLength(informationClass);
    if (minimum < 0) {
      return IoResult.failed(NtStatus.STATUS_INVALID_INFO_CLASS);
    }
    if (length < minimum) {
      return IoResult.failed(NtStatus.STATUS_INFO_LENGTH_MISMATCH);
    }
    if (informationClass == FileInformationClass.FILE_ACCESS_INFORMATION
        || informationClass == FileInformationClass.FILE_MODE_INFORMATION
        || informationClass == FileInformationClass.FILE_ALIGNMENT_INFORMATION) {
      return answeredByTheIoManager(thread, handle, informationClass);
    }
    return callAndWait(thread, handle, Transfer.information(
        MajorFunctions.IRP_MJ_QUERY_INFORMATION, FileInformationClass.queryAccess(informationClass),
        null, length, informationClass));
  }

  private IoResult answeredByTheIoManager(KThread thread, Handle handle, int informationClass) {
    Referenced<KernelFileObject> found =
        io.objects.referenceByHandle(handle, 0, io.fileType, thread);
    if (!found.isSuccess()) {
      return IoResult.failed(found.status());
    }
    try {
      int value = switch (informationClass) {
        case FileInformationClass.FILE_ACCESS_INFORMATION -> found.grantedAccess();
        case FileInformationClass.FILE_ALIGNMENT_INFORMATION ->
            found.object().device().alignmentRequirement();
        // ntio's opens are neither synchronous nor alertable, write-through nor sequential.
        default -> 0;
      };
      byte[] data = ByteBuffer.allocate(Integer.BYTES).order(java.nio.ByteOrder.LITTLE_ENDIAN)
          .putInt(value).array();
      return new IoResult(NtStatus.STATUS_SUCCESS, data.length, data);
    } finally {
      found.object().dereference();
    }
  }

  /**
   * {@code NtSetInformationFile}: sends {@code data} as a class of information to the driver
   * (IRP_MJ_SET_INFORMATION), after the same checks as {@link #ntQueryInformationFile}, with the
   * class's set access. Models {@code NtSetInformationFile} (partial: the classes of {@link
   * FileInformationClass}; the I/O manager keeps no position or mode of its own).
   */
  public IoResult ntSetInformationFile(KThread thread, Handle handle, int informationClass,
      byte[] data) {
    if (data == null) {
      return IoResult.failed(NtStatus.STATUS_ACCESS_VIOLATION);
    }
    int minimum = FileInformationClass.setLength(informationClass);
    if (minimum < 0) {
      return IoResult.failed(NtStatus.STATUS_INVALID_INFO_CLASS);
    }
    if (data.length < minimum) {
      return IoResult.failed(NtStatus.STATUS_INFO_LENGTH_MISMATCH);
    }
    return callAndWait(thread, handle, Transfer.information(
        MajorFunctions.IRP_MJ_SET_INFORMATION, FileInformationClass.setAccess(informationClass),
        data, data.length, informationClass));
  }

  /**
   * {@code NtReadFile} as an overlapped call: returns at once with the request, whose status is
   * {@code STATUS_PENDING} until the driver completes it. {@code completion}, if given, runs once
   * it does (the user APC); it does not run for a call refused before a request was sent (bad
   * handle, no read access, a negative length, or {@code STATUS_PROCESS_IS_TERMINATING} once the
   * calling process's rundown has begun), whose status the request holds at once.
   */
  public IoRequest ntReadFileAsync(KThread thread, Handle handle, int length, long byteOffset,
      IoRequest.IoCompletion completion) {
    if (length < 0) {
      return IoRequest.refused(MajorFunctions.IRP_MJ_READ, thread.process(),
          NtStatus.STATUS_INVALID_PARAMETER);
    }
    return start(thread, handle, Transfer.of(MajorFunctions.IRP_MJ_READ,
        AccessMask.FILE_READ_DATA, null, length, byteOffset), completion);
  }

  /** {@code NtWriteFile} as an overlapped call; see {@link #ntReadFileAsync}. */
  public IoRequest ntWriteFileAsync(KThread thread, Handle handle, byte[] data, long byteOffset,
      IoRequest.IoCompletion completion) {
    if (data == null) {
      return IoRequest.refused(MajorFunctions.IRP_MJ_WRITE, thread.process(),
          NtStatus.STATUS_ACCESS_VIOLATION);
    }
    return start(thread, handle, Transfer.of(MajorFunctions.IRP_MJ_WRITE,
        AccessMask.FILE_WRITE_DATA, data, data.length, byteOffset), completion);
  }

  /**
   * {@code NtDeviceIoControlFile} as an overlapped call; see {@link #ntReadFileAsync}. The
   * handle must have been granted the access the control code's {@code RequiredAccess} bits
   * name ({@code STATUS_ACCESS_DENIED} otherwise).
   */
  public IoRequest ntDeviceIoControlFileAsync(KThread thread, Handle handle, int ioControlCode,
      byte[] input, int outputLength, IoRequest.IoCompletion completion) {
    if (outputLength < 0) {
      return IoRequest.refused(MajorFunctions.IRP_MJ_DEVICE_CONTROL, thread.process(),
          NtStatus.STATUS_INVALID_PARAMETER);
    }
    return start(thread, handle, Transfer.control(MajorFunctions.IRP_MJ_DEVICE_CONTROL,
        requiredAccess(ioControlCode), input == null ? NO_BYTES : input, ioControlCode,
        outputLength), completion);
  }

  /** The access a control code's {@code RequiredAccess} bits ask of the handle. */
  private static int requiredAccess(int ioControlCode) {
    return switch (IoControlCodes.requiredAccess(ioControlCode)) {
      case IoControlCodes.FILE_READ_ACCESS -> AccessMask.FILE_READ_DATA;
      case IoControlCodes.FILE_WRITE_ACCESS -> AccessMask.FILE_WRITE_DATA;
      case IoControlCodes.FILE_READ_ACCESS | IoControlCodes.FILE_WRITE_ACCESS ->
          AccessMask.FILE_READ_DATA | AccessMask.FILE_WRITE_DATA;
      default -> 0;
    };
  }

  /**
   * A synchronous call: builds the request, sends it, waits if it pends, and gives back the
   * result, all on the caller's thread. A request is listed as outstanding (for cancels and
   * rundown) only once its driver returned STATUS_PENDING: one completed at once never was.
   */
  private IoResult callAndWait(KThread thread, Handle handle, Transfer transfer) {
    Referenced<KernelFileObject> found =
        io.objects.referenceByHandle(handle, transfer.access(), io.fileType, thread);
    if (!found.isSuccess()) {
      return IoResult.failed(found.status());
    }
    KernelFileObject file = found.object();
    IoRequest waiting = null;
    try {
      Prepared prepared =
          prepare(file.device(), true, transfer, file, thread.previousMode(), null);
      KernelIrp irp = prepared.irp();
      NtStatus returned = callDriver(prepared.top(), irp);
      settle(irp, returned);
      if (!irp.isFinished()) {
        waiting = new IoRequest(transfer.major(), thread.process(), null);
        waiting.attach(irp);
        if (!track(waiting)) {
          // The process's rundown has begun and will not see this request: cancel it as the
          // rundown would, and wait for the driver to complete it as any waiter does.
          waiting = null;
          cancelIrp(irp);
        }
        irp.awaitFinished();
      }
      NtStatus status = irp.ioStatus().status();
      long information = irp.ioStatus().information();
      byte[] data = returnedBytes(prepared.result(), transfer.returnLimit(), status, information);
      if (waiting != null) {
        untrack(waiting);
        abandoned.remove(waiting);
        waiting.complete(status, information, data);
      }
      return new IoResult(status, information, data);
    } finally {
      file.dereference();
    }
  }

  /**
   * An overlapped call: builds the request, sends it to the top of the file's stack and returns
   * it, pending or not. The request holds the file object reference taken here until it is
   * finished; its result is delivered on a System worker.
   */
  private IoRequest start(KThread thread, Handle handle, Transfer transfer,
      IoRequest.IoCompletion completion) {
    Referenced<KernelFileObject> found =
        io.objects.referenceByHandle(handle, transfer.access(), io.fileType, thread);
    if (!found.isSuccess()) {
      return IoRequest.refused(transfer.major(), thread.process(), found.status());
    }
    KernelFileObject file = found.object();
    IoRequest request = new IoRequest(transfer.major(), thread.process(), completion);
    KernelIrp irp;
    try {
      int limit = transfer.returnLimit();
      Prepared prepared = prepare(file.device(), true, transfer, file, thread.previousMode(),
          result -> finished -> finishLater(finished, request, result, limit));
      irp = prepared.irp();
      request.attach(irp);
      if (!track(request)) {
        // The process is being run down: the request is refused before any driver sees it, as NT
        // refuses new I/O in a terminating process. Never sent, so never orphaned.
        file.dereference();
        return IoRequest.refused(transfer.major(), thread.process(),
            NtStatus.STATUS_PROCESS_IS_TERMINATING);
      }
      NtStatus returned = callDriver(prepared.top(), irp);
      settle(irp, returned);
    } catch (RuntimeException | Error e) {
      // A bug check on the way: the request never reaches its sender.
      untrack(request);
      file.dereference();
      throw e;
    }
    return request;
  }

  /** An overlapped request finished: its result goes back on a System worker, as an APC would. */
  private void finishLater(KernelIrp irp, IoRequest request, byte[] result, int limit) {
    NtStatus queued = io.workQueues.queue(WorkQueueType.CRITICAL,
        () -> finishRequest(irp, request, result, limit));
    if (!queued.isSuccess()) {
      finishRequest(irp, request, result, limit);
    }
  }

  /**
   * {@code IopCompleteRequest}: copies a read's or device control's bytes back, sets the status
   * block, drops the request's file object reference and runs the APC. Never inside a driver.
   */
  private void finishRequest(KernelIrp irp, IoRequest request, byte[] result, int limit) {
    NtStatus status = irp.ioStatus().status();
    long information = irp.ioStatus().information();
    byte[] data = returnedBytes(result, limit, status, information);
    untrack(request);
    abandoned.remove(request);
    try {
      irp.originalFile().dereference();
    } finally {
      request.complete(status, information, data);
    }
  }

  /**
   * What a read or device control gives back: the first {@code Information} bytes of where its
   * result is (the system buffer, or the caller's buffer for direct and neither I/O), at most
   * {@code limit} ({@link Transfer#returnLimit()}), unless the status is an error. The array
   * itself when all of it is returned: the request is finished and no driver may touch it again.
   */
  private static byte[] returnedBytes(byte[] result, int limit, NtStatus status,
      long information) {
    if (status.isError() || information <= 0 || limit <= 0) {
      return NO_BYTES;
    }
    int count = (int) Math.min(information, Math.min(result.length, limit));
    return count == result.length ? result : Arrays.copyOf(result, count);
  }

  // Cancelling ------------------------------------------------------------------------------------

  /**
   * {@code NtCancelIoFile}: cancels every outstanding request the calling process made on the
   * handle's file object and waits (bounded) until they are completed. Models {@code
   * NtCancelIoFile} (partial: ntio's client threads are their process, so "the calling thread's
   * requests" are the process's).
   *
   * @return {@code STATUS_SUCCESS}, or the handle's status
   */
  public NtStatus ntCancelIoFile(KThread thread, Handle handle) {
    return cancelFileRequests(thread, handle, null);
  }

  /**
   * {@code NtCancelIoFileEx}: cancels one request the process made on the handle's file object,
   * or all of them when {@code request} is null, and waits (bounded) until they are completed.
   *
   * @return {@code STATUS_SUCCESS}; {@code STATUS_NOT_FOUND} when no such request is outstanding;
   *     or the handle's status
   */
  public NtStatus ntCancelIoFileEx(KThread thread, Handle handle, IoRequest request) {
    return cancelFileRequests(thread, handle, request);
  }

  private NtStatus cancelFileRequests(KThread thread, Handle handle, IoRequest only) {
    Referenced<KernelFileObject> found =
        io.objects.referenceByHandle(handle, 0, io.fileType, thread);
    if (!found.isSuccess()) {
      return found.status();
    }
    KernelFileObject file = found.object();
    try {
      List<IoRequest> chosen = new ArrayList<>();
      for (IoRequest request : outstandingOf(thread.process())) {
        KernelIrp irp = request.irp();
        if (irp != null && irp.originalFile() == file && (only == null || only == request)) {
          chosen.add(request);
        }
      }
      if (chosen.isEmpty()) {
        return only == null ? NtStatus.STATUS_SUCCESS : NtStatus.STATUS_NOT_FOUND;
      }
      cancelAndWait(chosen);
      return NtStatus.STATUS_SUCCESS;
    } finally {
      file.dereference();
    }
  }

  /**
   * Process rundown: cancels every outstanding request of the process and waits, bounded, for the
   * drivers to complete them. Models {@code IoCancelThreadIo} for each thread (partial: the bound
   * is {@link #DEFAULT_CANCEL_WAIT}, not five minutes). A request still outstanding afterwards is
   * kept in {@link #abandoned()}: its driver never completed a cancelled request.
   */
  void rundown(KProcess process) {
    hooked.remove(process);
    cancelAndWait(outstandingOf(process));
  }

  private void cancelAndWait(List<IoRequest> requests) {
    for (IoRequest request : requests) {
      KernelIrp irp = request.irp();
      if (irp != null && !irp.isFinished()) {
        cancelIrp(irp);
      }
    }
    long deadline = System.nanoTime() + cancelWait.toNanos();
    List<IoRequest> late = new ArrayList<>();
    for (IoRequest request : requests) {
      long left = deadline - System.nanoTime();
      if (!request.await(Duration.ofNanos(Math.max(0, left)))) {
        abandoned.add(request);
        late.add(request);
      }
    }
    late.forEach(this::verifyCancelCompleted);
  }

  /**
   * I/O verification (0x10) of the driver holding a cancelled request it did not complete in
   * time: bug check 0xC4 with P1 {@link #CANCELLED_IRP_NOT_COMPLETED}, P2 the IRP. The bug check
   * halts the kernel but does not escape: the rundown that waited goes on.
   */
  private void verifyCancelCompleted(IoRequest request) {
    KernelIrp irp = request.irp();
    if (irp == null || irp.isFinished()) {
      return;
    }
    DeviceObject holder;
    try {
      holder = irp.currentStackLocation().deviceObject();
    } catch (IllegalStateException notInADriver) {
      return;
    }
    if (holder instanceof KernelDeviceObject device
        && device.driver().services() instanceof ImageServices services
        && services.verified() != null && services.verified().verifiesIo()) {
      try {
        throw io.bugChecks.raise(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, CANCELLED_IRP_NOT_COMPLETED,
            System.identityHashCode(irp), 0, 0, services.driverName(), device.describe()
                + " holds a cancelled IRP (major function " + irp.currentStackLocation().majorFunction()
                + ") it did not complete within " + cancelWait.toMillis() + " ms (I/O verification)");
      } catch (ntio.kernel.executive.BugCheckException halted) {
        // The kernel is halted; the rundown that waited finishes.
      }
    }
  }

  /**
   * Requests that were cancelled and not completed within the wait: what the verifier reports as
   * a driver never completing a cancelled request. A snapshot.
   */
  public List<IoRequest> abandoned() {
    return List.copyOf(abandoned);
  }

  /** The process's outstanding client requests: a snapshot. */
  public List<IoRequest> outstandingOf(KProcess process) {
    Set<IoRequest> requests = outstanding.get(process);
    return requests == null ? List.of() : List.copyOf(requests);
  }

  /**
   * Lists a request as outstanding for its process, and hooks the process's rundown on its first
   * request, both under the process's rundown lock ({@link KProcess#whileRunning}): a request
   * tracked here is in the snapshot {@link #rundown} takes, or is refused because the rundown has
   * begun. Never both, never neither — what keeps a request from escaping its process's rundown.
   *
   * @return whether it was tracked; false once the process is terminating
   */
  private boolean track(IoRequest request) {
    KProcess process = request.process();
    return process.whileRunning(() -> {
      outstanding.computeIfAbsent(process, p -> ConcurrentHashMap.newKeySet()).add(request);
      if (hooked.add(process)) {
        process.onRundown(this::rundown);
      }
    });
  }

  private void untrack(IoRequest request) {
    outstanding.computeIfPresent(request.process(), (p, requests) -> {
      requests.remove(request);
      return requests.isEmpty() ? null : requests;
    });
  }
}
