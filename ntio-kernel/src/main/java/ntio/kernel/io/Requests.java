package ntio.kernel.io;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import ntio.api.IoResult;
import ntio.api.OpenResult;
import ntio.ddk.AccessMask;
import ntio.ddk.CancelRoutine;
import ntio.ddk.CompletionRoutine;
import ntio.ddk.CreateOptions;
import ntio.ddk.DispatchRoutine;
import ntio.ddk.FileInformationClass;
import ntio.ddk.FileObject;
import ntio.ddk.Handle;
import ntio.ddk.IoControlCodes;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.ProcessorMode;
import ntio.kernel.executive.BugCheck;
import ntio.kernel.objects.ObjectManager.Referenced;
import ntio.kernel.process.KProcess;
import ntio.kernel.process.KThread;

/**
 * The I/O path: sending IRPs down a device stack, completing them back up through completion
 * routines, cancelling them, and the client calls that make them. Models {@code IoCallDriver},
 * {@code IoCompleteRequest} with {@code IopCompleteRequest}, {@code IoCancelIrp}, and {@code
 * NtReadFile}, {@code NtWriteFile}, {@code NtDeviceIoControlFile}, {@code NtCancelIoFile(Ex)}.
 * What a call gives back to its caller follows NT's rules ({@link StatusBlockRules}); the
 * request's buffers are chosen as NT chooses them ({@link Transfer}).
 *
 * <p>Driver code always runs with no kernel lock held. An outstanding request holds a reference
 * to its file object, so the file object, its device and the driver stay while a request is
 * pending: a deferred unload completes only after the request is completed and the handle closed.
 *
 * <p>No request escapes its process's rundown: a client request is listed under its process's
 * rundown lock before any driver sees it ({@link OutstandingRequests}), so the rundown either finds and cancels
 * it or the request is refused with {@code STATUS_PROCESS_IS_TERMINATING} (a synchronous call whose
 * driver already pended it cancels it itself).
 */
public final class Requests {

  /** 0xC4's first parameter for a cancelled IRP its driver did not complete in time. */
  public static final int CANCELLED_IRP_NOT_COMPLETED = 0x135;

  private static final byte[] NO_BYTES = Transfer.NO_BYTES;

  private final IoManager io;

  /** The client requests not yet finished, and what cancels them. */
  private final OutstandingRequests outstanding;

  /** How a client call is sent, waited for or finished. */
  private final ClientCalls calls;
  private final VolumeQueries volumes;

  Requests(IoManager io) {
    this.io = io;
    this.outstanding = new OutstandingRequests(io, this);
    this.calls = new ClientCalls(io, this, outstanding);
    this.volumes = new VolumeQueries(io, calls);
  }

  /** Sets how long cancels and rundowns wait for drivers to complete cancelled requests. */
  void setCancelWait(Duration wait) {
    outstanding.setCancelWait(wait);
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
    if (status.equals(NtStatus.STATUS_PENDING) && ioVerified(irp)) {
      // Only the I/O verifier checks it: without it NT completes the request with STATUS_PENDING
      // as its status (Wine's test_return_status completes requests so, on Windows).
      throw io.bugChecks.raise(BugCheck.DRIVER_VERIFIER_IOMANAGER_VIOLATION, 0x06, status.code(),
          System.identityHashCode(irp), 0, driverNameAt(irp),
          "IoCompleteRequest of " + irp + " with STATUS_PENDING in IoStatus (I/O verification)");
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

  /** Whether the driver holding the request's current location is under I/O verification. */
  private static boolean ioVerified(KernelIrp irp) {
    int current = irp.currentLocationIndex();
    return current >= 1 && current <= irp.stackCount()
        && irp.location(current).deviceObject instanceof KernelDeviceObject device
        && device.driver().services() instanceof ImageServices services
        && services.verified() != null && services.verified().verifiesIo();
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
  void settle(KernelIrp irp, NtStatus returned) {
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

  /** A request about to be sent, the top of its stack where it goes, and its buffers. */
  record Prepared(KernelIrp irp, KernelDeviceObject top, Transfer.Buffers buffers) {}

  /**
   * Builds a request for {@code top}'s stack (the top of a file's, or a device a driver named):
   * its stack size and flags are read under one lock, and choose the request's buffers.
   *
   * @param finisherFor makes the request's finisher from its buffers; null when the sender waits
   *     for the request itself
   */
  Prepared prepare(KernelDeviceObject device, boolean findTop, Transfer transfer,
      KernelFileObject file, ProcessorMode mode,
      java.util.function.Function<Transfer.Buffers, KernelIrp.Finisher> finisherFor) {
    KernelDeviceObject top;
    int stackSize;
    int flags;
    synchronized (io.database) {
      top = findTop ? Devices.topLocked(device) : device;
      stackSize = top.stackSizeLocked();
      flags = top.flagsLocked();
    }
    Transfer.Buffers buffers = transfer.buffers(flags);
    KernelIrp irp = newIrp(stackSize, transfer.major(), file, mode, buffers.system(),
        finisherFor == null ? null : finisherFor.apply(buffers));
    irp.setCallerBuffers(buffers.mdl(), buffers.user());
    KernelIrp.StackLocation next = irp.nextStackLocation();
    transfer.applyTo(next);
    next.type3InputBuffer = buffers.type3();
    return new Prepared(irp, top, buffers);
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
    return new IoResult(status, information, prepared.buffers().returned(status, information));
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
  DriverBuiltRequest buildTransfer(KernelDeviceObject device, int major, byte[] data, int length,
      long byteOffset) {
    return build(device, Transfer.of(major, 0, data, length, byteOffset));
  }

  /** {@code IoBuildDeviceIoControlRequest}'s request; see {@link #buildTransfer}. */
  DriverBuiltRequest buildControl(KernelDeviceObject device, int major, byte[] input,
      int ioControlCode, int outputLength) {
    return build(device, Transfer.control(major, 0, input, ioControlCode, outputLength));
  }

  /**
   * A driver-built request starts with {@code IoStatus} zeroed (Status 0, Information 0), not
   * {@code STATUS_PENDING}, as NT's {@code IoBuild*Request} leave it (Wine's driver.c checks it in
   * {@code test_call_driver}).
   */
  private DriverBuiltRequest build(KernelDeviceObject device, Transfer transfer) {
    Prepared prepared = prepare(device, false, transfer, null, ProcessorMode.KERNEL, null);
    prepared.irp().ioStatus().setStatus(NtStatus.STATUS_SUCCESS);
    prepared.irp().ioStatus().setInformation(0);
    return new DriverBuiltRequest(prepared.irp(), prepared.buffers());
  }

  // Client calls ----------------------------------------------------------------------------------

  /**
   * {@code NtCreateFile} / {@code NtOpenFile} of a device. The synchronous-I/O options are checked
   * first, as NT's IoCreateFile does: both {@code FILE_SYNCHRONOUS_IO_ALERT} and {@code
   * FILE_SYNCHRONOUS_IO_NONALERT}, or either without {@code SYNCHRONIZE} in the desired access, is
   * {@code STATUS_INVALID_PARAMETER}.
   */
  public OpenResult ntCreateFile(KThread thread, int desiredAccess, ObjectAttributes attributes,
      int shareAccess, int createOptions) {
    boolean alert = (createOptions & CreateOptions.FILE_SYNCHRONOUS_IO_ALERT) != 0;
    boolean nonAlert = (createOptions & CreateOptions.FILE_SYNCHRONOUS_IO_NONALERT) != 0;
    if ((alert && nonAlert) || ((alert || nonAlert) && (desiredAccess & AccessMask.SYNCHRONIZE) == 0)) {
      return new OpenResult(NtStatus.STATUS_INVALID_PARAMETER, Handle.NULL);
    }
    return io.objects.openByName(attributes, io.fileType, desiredAccess, thread,
        new OpenPacket(shareAccess, createOptions, false));
  }

  /** {@code NtReadFile}, waiting for the result. */
  public IoResult ntReadFile(KThread thread, Handle handle, int length, long byteOffset) {
    if (length < 0) {
      return IoResult.failed(NtStatus.STATUS_INVALID_PARAMETER);
    }
    return calls.callAndWait(thread, handle, Transfer.of(MajorFunctions.IRP_MJ_READ,
        AccessMask.FILE_READ_DATA, null, length, byteOffset));
  }

  /**
   * {@code NtWriteFile}, waiting for the result. A null {@code data} is a NULL buffer of length 0,
   * which NT sends to the driver like any write (ReactOS {@code IoReadWrite_user.c}, {@code
   * TestWrite}, run on Windows: the driver's status comes back, with {@code Information} 0).
   */
  public IoResult ntWriteFile(KThread thread, Handle handle, byte[] data, long byteOffset) {
    byte[] bytes = data == null ? NO_BYTES : data;
    return calls.callAndWait(thread, handle, Transfer.of(MajorFunctions.IRP_MJ_WRITE,
        AccessMask.FILE_WRITE_DATA, bytes, bytes.length, byteOffset));
  }

  /** {@code NtDeviceIoControlFile}, waiting for the result. */
  public IoResult ntDeviceIoControlFile(KThread thread, Handle handle, int ioControlCode,
      byte[] input, int outputLength) {
    if (outputLength < 0) {
      return IoResult.failed(NtStatus.STATUS_INVALID_PARAMETER);
    }
    return calls.callAndWait(thread, handle, Transfer.control(MajorFunctions.IRP_MJ_DEVICE_CONTROL,
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
    return calls.callAndWait(thread, handle,
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
    return calls.callAndWait(thread, handle, Transfer.information(
        MajorFunctions.IRP_MJ_QUERY_INFORMATION, FileInformationClass.queryAccess(informationClass),
        null, length, informationClass));
  }

  private static int modeInformation(int fileObjectFlags) {
    if ((fileObjectFlags & FileObject.FO_ALERTABLE_IO) != 0) {
      return CreateOptions.FILE_SYNCHRONOUS_IO_ALERT;
    }
    return (fileObjectFlags & FileObject.FO_SYNCHRONOUS_IO) != 0 ? CreateOptions.FILE_SYNCHRONOUS_IO_NONALERT : 0;
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
        // FileModeInformation: of the modes ntio keeps, the synchronous-I/O option of the open.
        default -> modeInformation(found.object().flags());
      };
      byte[] data = ByteBuffer.allocate(Integer.BYTES).order(java.nio.ByteOrder.LITTLE_ENDIAN)
          .putInt(value).array();
      return new IoResult(NtStatus.STATUS_SUCCESS, data.length, data);
    } finally {
      found.object().dereference();
    }
  }

  /**
   * {@code NtQueryVolumeInformationFile}: what a class of volume information says of the device
   * the open is on. See {@link VolumeQueries#query} for the checks and who answers.
   */
  public IoResult ntQueryVolumeInformationFile(KThread thread, Handle handle,
      int fsInformationClass, int length) {
    return volumes.query(thread, handle, fsInformationClass, length);
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
    return calls.callAndWait(thread, handle, Transfer.information(
        MajorFunctions.IRP_MJ_SET_INFORMATION, FileInformationClass.setAccess(informationClass),
        data, data.length, informationClass));
  }

  /**
   * {@code NtReadFile} as an overlapped call: returns at once with the request, whose {@link
   * IoRequest#returnedStatus()} is what NT's system service returns ({@code STATUS_PENDING} when
   * the driver pended it, else the dispatch routine's status) and whose status is {@code
   * STATUS_PENDING} until the driver completes it. {@code completion}, if given, runs once it does
   * (the user APC) — only when NT would: not for an error completed without pending, and not for a
   * call refused before a request was sent (bad handle, no read access, a negative length, or
   * {@code STATUS_PROCESS_IS_TERMINATING} once the calling process's rundown has begun), whose
   * status the request holds at once.
   */
  public IoRequest ntReadFileAsync(KThread thread, Handle handle, int length, long byteOffset,
      IoRequest.IoCompletion completion) {
    if (length < 0) {
      return IoRequest.refused(MajorFunctions.IRP_MJ_READ, thread.process(),
          NtStatus.STATUS_INVALID_PARAMETER);
    }
    return calls.start(thread, handle, Transfer.of(MajorFunctions.IRP_MJ_READ,
        AccessMask.FILE_READ_DATA, null, length, byteOffset), completion);
  }

  /**
   * {@code NtWriteFile} as an overlapped call; see {@link #ntReadFileAsync}. A null {@code data}
   * is a NULL buffer of length 0, as for {@link #ntWriteFile}.
   */
  public IoRequest ntWriteFileAsync(KThread thread, Handle handle, byte[] data, long byteOffset,
      IoRequest.IoCompletion completion) {
    byte[] bytes = data == null ? NO_BYTES : data;
    return calls.start(thread, handle, Transfer.of(MajorFunctions.IRP_MJ_WRITE,
        AccessMask.FILE_WRITE_DATA, bytes, bytes.length, byteOffset), completion);
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
    return calls.start(thread, handle, Transfer.control(MajorFunctions.IRP_MJ_DEVICE_CONTROL,
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
    return outstanding.ntCancelIoFile(thread, handle);
  }

  /**
   * {@code NtCancelIoFileEx}: cancels one request the process made on the handle's file object,
   * or all of them when {@code request} is null, and waits (bounded) until they are completed.
   *
   * @return {@code STATUS_SUCCESS}; {@code STATUS_NOT_FOUND} when no such request is outstanding;
   *     or the handle's status
   */
  public NtStatus ntCancelIoFileEx(KThread thread, Handle handle, IoRequest request) {
    return outstanding.ntCancelIoFileEx(thread, handle, request);
  }

  /** Process rundown; see {@link OutstandingRequests#rundown}. */
  void rundown(KProcess process) {
    outstanding.rundown(process);
  }

  /**
   * Requests that were cancelled and not completed within the wait: what the verifier reports as
   * a driver never completing a cancelled request. A snapshot.
   */
  public List<IoRequest> abandoned() {
    return outstanding.abandoned();
  }

  /** The process's outstanding client requests: a snapshot. */
  public List<IoRequest> outstandingOf(KProcess process) {
    return outstanding.outstandingOf(process);
  }
}
