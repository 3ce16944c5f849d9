package ntio.kernel.io;

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
import ntio.ddk.DispatchRoutine;
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
 */
public final class Requests {

  /** How long cancelling a process's or a file's requests waits for drivers to complete them. */
  static final Duration DEFAULT_CANCEL_WAIT = Duration.ofSeconds(10);

  /** The empty buffer: shared, since nothing can be written into it. */
  private static final byte[] NO_BYTES = new byte[0];

  private final IoManager io;

  /** Client requests not yet finished, by process: NT's per-thread IRP lists. */
  private final ConcurrentHashMap<KProcess, Set<IoRequest>> outstanding = new ConcurrentHashMap<>();

  /** Processes whose rundown hook is registered. */
  private final Set<KProcess> hooked = ConcurrentHashMap.newKeySet();

  /** Requests a rundown or cancel gave up waiting for: cancelled, never completed. */
  private final Set<IoRequest> abandoned = ConcurrentHashMap.newKeySet();

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
    if (!returned.equals(NtStatus.STATUS_PENDING) && !irp.isFinished() && irp.beginCompletion()) {
      irp.handBack();
      if (irp.ioStatus().status().equals(NtStatus.STATUS_PENDING)) {
        irp.ioStatus().setStatus(returned);
      }
      irp.setCurrentLocationIndex(irp.stackCount());
      completeRequest(irp);
    }
  }

  private KernelIrp newIrp(KernelDeviceObject top, int major, KernelFileObject file,
      ProcessorMode mode, byte[] buffer, KernelIrp.Finisher finisher) {
    int stackSize;
    synchronized (io.database) {
      stackSize = top.stackSizeLocked();
    }
    return newIrp(top, stackSize, major, file, mode, buffer, finisher);
  }

  private static KernelIrp newIrp(KernelDeviceObject top, int stackSize, int major,
      KernelFileObject file, ProcessorMode mode, byte[] buffer, KernelIrp.Finisher finisher) {
    KernelIrp irp = new KernelIrp(stackSize, mode, buffer, file, finisher);
    KernelIrp.StackLocation next = irp.nextStackLocation();
    next.majorFunction = major;
    next.fileObject = file;
    return irp;
  }

  /**
   * What a read, write, device control or flush carries: the major function, the access the
   * handle needs, the system buffer and the parameters of the first stack location.
   */
  private record Transfer(int major, int access, byte[] buffer, int length, long byteOffset,
      int ioControlCode, int inputLength, int outputLength) {

    static Transfer of(int major, int access, byte[] buffer, int length, long byteOffset) {
      return new Transfer(major, access, buffer, length, byteOffset, 0, 0, 0);
    }

    static Transfer control(int major, int access, byte[] buffer, int ioControlCode,
        int inputLength, int outputLength) {
      return new Transfer(major, access, buffer, 0, 0, ioControlCode, inputLength, outputLength);
    }

    void applyTo(KernelIrp.StackLocation next) {
      next.length = length;
      next.byteOffset = byteOffset;
      next.ioControlCode = ioControlCode;
      next.inputBufferLength = inputLength;
      next.outputBufferLength = outputLength;
    }

    /** How many bytes of the system buffer may go back to the caller: none unless it reads. */
    int returnLimit() {
      return switch (major) {
        case MajorFunctions.IRP_MJ_READ -> length;
        case MajorFunctions.IRP_MJ_DEVICE_CONTROL, MajorFunctions.IRP_MJ_INTERNAL_DEVICE_CONTROL ->
            outputLength;
        default -> 0;
      };
    }
  }

  /** A file's request about to be sent, and the top of its stack, where it goes. */
  private record Prepared(KernelIrp irp, KernelDeviceObject top) {}

  /** Builds a request for a file: its stack's top and that device's stack size, under one lock. */
  private Prepared newFileIrp(KernelFileObject file, int major, ProcessorMode mode, byte[] buffer,
      KernelIrp.Finisher finisher) {
    KernelDeviceObject top;
    int stackSize;
    synchronized (io.database) {
      top = Devices.topLocked(file.device());
      stackSize = top.stackSizeLocked();
    }
    return new Prepared(newIrp(top, stackSize, major, file, mode, buffer, finisher), top);
  }

  NtStatus create(KernelFileObject file, int desiredAccess, OpenPacket packet, ProcessorMode mode) {
    KernelDeviceObject top = io.devices.related(file);
    KernelIrp irp = newIrp(top, MajorFunctions.IRP_MJ_CREATE, file, mode, null, null);
    KernelIrp.StackLocation next = irp.nextStackLocation();
    next.desiredAccess = desiredAccess;
    next.shareAccess = packet.shareAccess();
    next.createOptions = packet.createOptions();
    return sendAndWait(top, irp);
  }

  void sendCleanupOrClose(KernelFileObject file, int major) {
    KernelDeviceObject top = io.devices.related(file);
    sendAndWait(top, newIrp(top, major, file, ProcessorMode.KERNEL, null, null));
  }

  // Requests drivers build ------------------------------------------------------------------------

  /**
   * {@code IoBuildSynchronousFsdRequest}: a kernel-mode request for {@code device}'s stack that
   * the I/O manager completes into the waiting driver.
   */
  BuiltRequest buildTransfer(KernelDeviceObject device, int major, byte[] buffer, int length,
      long byteOffset) {
    return build(device, Transfer.of(major, 0, buffer, length, byteOffset));
  }

  /** {@code IoBuildDeviceIoControlRequest}'s request; see {@link #buildTransfer}. */
  BuiltRequest buildControl(KernelDeviceObject device, int major, byte[] buffer,
      int ioControlCode, int inputLength, int outputLength) {
    return build(device,
        Transfer.control(major, 0, buffer, ioControlCode, inputLength, outputLength));
  }

  private BuiltRequest build(KernelDeviceObject device, Transfer transfer) {
    KernelIrp irp = newIrp(device, transfer.major(), null, ProcessorMode.KERNEL, transfer.buffer(),
        null);
    transfer.applyTo(irp.nextStackLocation());
    return new BuiltRequest(irp, transfer.returnLimit());
  }

  /** A request a driver built; see {@link ntio.ddk.BuiltRequest}. */
  static final class BuiltRequest implements ntio.ddk.BuiltRequest {
    private final KernelIrp irp;
    private final int outputLimit;

    BuiltRequest(KernelIrp irp, int outputLimit) {
      this.irp = irp;
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
      if (!irp.isFinished() || irp.ioStatus().status().isError()) {
        return new byte[0];
      }
      long count = Math.min(irp.ioStatus().information(),
          Math.min(irp.systemBuffer().length, outputLimit));
      return Arrays.copyOf(irp.systemBuffer(), (int) Math.max(0, count));
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
        AccessMask.FILE_READ_DATA, length == 0 ? NO_BYTES : new byte[length], length, byteOffset));
  }

  /** {@code NtWriteFile}, waiting for the result. */
  public IoResult ntWriteFile(KThread thread, Handle handle, byte[] data, long byteOffset) {
    if (data == null) {
      return IoResult.failed(NtStatus.STATUS_ACCESS_VIOLATION);
    }
    return callAndWait(thread, handle, Transfer.of(MajorFunctions.IRP_MJ_WRITE,
        AccessMask.FILE_WRITE_DATA, data.clone(), data.length, byteOffset));
  }

  /** {@code NtDeviceIoControlFile}, waiting for the result. */
  public IoResult ntDeviceIoControlFile(KThread thread, Handle handle, int ioControlCode,
      byte[] input, int outputLength) {
    if (outputLength < 0) {
      return IoResult.failed(NtStatus.STATUS_INVALID_PARAMETER);
    }
    byte[] in = input == null ? NO_BYTES : input;
    byte[] buffer = Arrays.copyOf(in, Math.max(in.length, outputLength));
    return callAndWait(thread, handle, Transfer.control(MajorFunctions.IRP_MJ_DEVICE_CONTROL,
        requiredAccess(ioControlCode), buffer, ioControlCode, in.length, outputLength));
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
        Transfer.of(MajorFunctions.IRP_MJ_FLUSH_BUFFERS, 0, NO_BYTES, 0, 0)).status();
  }

  /**
   * {@code NtReadFile} as an overlapped call: returns at once with the request, whose status is
   * {@code STATUS_PENDING} until the driver completes it. {@code completion}, if given, runs once
   * it does (the user APC); it does not run for a call refused before a request was sent (bad
   * handle, no read access, a negative length), whose status the request holds at once.
   */
  public IoRequest ntReadFileAsync(KThread thread, Handle handle, int length, long byteOffset,
      IoRequest.IoCompletion completion) {
    if (length < 0) {
      return IoRequest.refused(MajorFunctions.IRP_MJ_READ, thread.process(),
          NtStatus.STATUS_INVALID_PARAMETER);
    }
    return start(thread, handle, Transfer.of(MajorFunctions.IRP_MJ_READ,
        AccessMask.FILE_READ_DATA, new byte[length], length, byteOffset), completion);
  }

  /** {@code NtWriteFile} as an overlapped call; see {@link #ntReadFileAsync}. */
  public IoRequest ntWriteFileAsync(KThread thread, Handle handle, byte[] data, long byteOffset,
      IoRequest.IoCompletion completion) {
    if (data == null) {
      return IoRequest.refused(MajorFunctions.IRP_MJ_WRITE, thread.process(),
          NtStatus.STATUS_ACCESS_VIOLATION);
    }
    return start(thread, handle, Transfer.of(MajorFunctions.IRP_MJ_WRITE,
        AccessMask.FILE_WRITE_DATA, data.clone(), data.length, byteOffset), completion);
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
    byte[] in = input == null ? NO_BYTES : input;
    byte[] buffer = Arrays.copyOf(in, Math.max(in.length, outputLength));
    return start(thread, handle, Transfer.control(MajorFunctions.IRP_MJ_DEVICE_CONTROL,
        requiredAccess(ioControlCode), buffer, ioControlCode, in.length, outputLength), completion);
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
          newFileIrp(file, transfer.major(), thread.previousMode(), transfer.buffer(), null);
      KernelIrp irp = prepared.irp();
      transfer.applyTo(irp.nextStackLocation());
      NtStatus returned = callDriver(prepared.top(), irp);
      settle(irp, returned);
      if (!irp.isFinished()) {
        waiting = new IoRequest(transfer.major(), thread.process(), null);
        waiting.attach(irp);
        track(waiting);
        irp.awaitFinished();
      }
      NtStatus status = irp.ioStatus().status();
      long information = irp.ioStatus().information();
      byte[] data = returnedBytes(irp, transfer.returnLimit(), status, information);
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
      Prepared prepared = newFileIrp(file, transfer.major(), thread.previousMode(),
          transfer.buffer(), finished -> finishLater(finished, request, transfer.returnLimit()));
      irp = prepared.irp();
      transfer.applyTo(irp.nextStackLocation());
      request.attach(irp);
      track(request);
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
  private void finishLater(KernelIrp irp, IoRequest request, int returnLimit) {
    NtStatus queued = io.workQueues.queue(WorkQueueType.CRITICAL,
        () -> finishRequest(irp, request, returnLimit));
    if (!queued.isSuccess()) {
      finishRequest(irp, request, returnLimit);
    }
  }

  /**
   * {@code IopCompleteRequest}: copies a read's or device control's bytes back, sets the status
   * block, drops the request's file object reference and runs the APC. Never inside a driver.
   */
  private void finishRequest(KernelIrp irp, IoRequest request, int returnLimit) {
    NtStatus status = irp.ioStatus().status();
    long information = irp.ioStatus().information();
    byte[] data = returnedBytes(irp, returnLimit, status, information);
    untrack(request);
    abandoned.remove(request);
    try {
      irp.originalFile().dereference();
    } finally {
      request.complete(status, information, data);
    }
  }

  /**
   * What a read or device control gives back: the first {@code Information} bytes of the system
   * buffer, at most {@code limit} ({@link Transfer#returnLimit()}), unless the status is an error.
   */
  private static byte[] returnedBytes(KernelIrp irp, int limit, NtStatus status,
      long information) {
    if (status.isError() || information <= 0 || limit <= 0) {
      return NO_BYTES;
    }
    int count = (int) Math.min(information, Math.min(irp.systemBuffer().length, limit));
    return Arrays.copyOf(irp.systemBuffer(), count);
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
    for (IoRequest request : requests) {
      long left = deadline - System.nanoTime();
      if (!request.await(Duration.ofNanos(Math.max(0, left)))) {
        abandoned.add(request);
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

  private void track(IoRequest request) {
    KProcess process = request.process();
    outstanding.computeIfAbsent(process, p -> ConcurrentHashMap.newKeySet()).add(request);
    if (hooked.add(process)) {
      process.onRundown(this::rundown);
    }
  }

  private void untrack(IoRequest request) {
    outstanding.computeIfPresent(request.process(), (p, requests) -> {
      requests.remove(request);
      return requests.isEmpty() ? null : requests;
    });
  }
}
