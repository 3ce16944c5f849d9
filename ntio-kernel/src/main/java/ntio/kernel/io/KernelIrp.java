package ntio.kernel.io;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import ntio.ddk.CancelRoutine;
import ntio.ddk.CompletionRoutine;
import ntio.ddk.DeviceObject;
import ntio.ddk.FileObject;
import ntio.ddk.IoStackLocation;
import ntio.ddk.IoStatusBlock;
import ntio.ddk.Irp;
import ntio.ddk.NtStatus;
import ntio.ddk.ProcessorMode;

/**
 * An I/O request packet: the stack locations, the I/O status, the cancel state, and what the I/O
 * manager does when the last stack location is completed. Models {@code IRP} (partial: buffered
 * I/O only).
 *
 * <p>Thread-safety follows NT's ownership rule: one driver owns a request at a time and touches
 * its stack locations; ownership passes with {@code IoCallDriver} and {@code IoCompleteRequest},
 * which may happen on different threads, so every field another thread reads is volatile. The
 * cancel routine is exchanged atomically, and {@link #beginCompletion()} makes a second
 * completion detectable, whatever the threads.
 */
final class KernelIrp implements Irp {

  /** {@code SL_PENDING_RETURNED}: the driver at this location returned STATUS_PENDING. */
  static final int SL_PENDING_RETURNED = 0x01;

  /** {@code SL_INVOKE_ON_CANCEL}. */
  static final int SL_INVOKE_ON_CANCEL = 0x20;

  /** {@code SL_INVOKE_ON_SUCCESS}. */
  static final int SL_INVOKE_ON_SUCCESS = 0x40;

  /** {@code SL_INVOKE_ON_ERROR}. */
  static final int SL_INVOKE_ON_ERROR = 0x80;

  /** What the I/O manager does once every stack location is completed: IopCompleteRequest. */
  interface Finisher {
    void finish(KernelIrp irp);
  }

  /** Locations 1..StackCount; index 0 is unused, so that indexes read as NT's CurrentLocation. */
  private final StackLocation[] locations;
  private final StatusBlock ioStatus = new StatusBlock();
  private final ProcessorMode requestorMode;
  private final byte[] systemBuffer;
  private volatile ntio.ddk.Mdl mdl;
  private volatile java.nio.ByteBuffer userBuffer;
  private final KernelFileObject originalFile;
  private final Finisher finisher;
  private static final VarHandle CANCEL_ROUTINE;
  private static final VarHandle COMPLETING;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      CANCEL_ROUTINE = lookup.findVarHandle(KernelIrp.class, "cancelRoutine", CancelRoutine.class);
      COMPLETING = lookup.findVarHandle(KernelIrp.class, "completing", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** {@code CancelRoutine}: exchanged only through {@link #CANCEL_ROUTINE}. */
  @SuppressWarnings("unused")
  private volatile CancelRoutine cancelRoutine;
  /** Whether IoCompleteRequest is running or ran: set only through {@link #COMPLETING}. */
  @SuppressWarnings("unused")
  private volatile boolean completing;
  /** The one thread waiting in {@link #awaitFinished()}, or null. */
  private volatile Thread waiter;
  /** {@code CurrentLocation}: StackCount + 1 before the first IoCallDriver. */
  private volatile int currentLocation;
  private volatile boolean pendingReturned;
  private volatile boolean cancel;
  private volatile boolean finished;
  /** Whether a driver allocated it ({@code IoAllocateIrp}), and whether it was freed. */
  private final boolean allocated;
  private volatile boolean freed;

  /**
   * A request with {@code stackCount} locations.
   *
   * @param originalFile the file object the request is for; the request holds a reference to it
   *     that {@code finisher} gives back. Null for a request not made for a file.
   * @param finisher what runs once the request is completed past its top location, on the
   *     completing thread; null when the sender waits with {@link #awaitFinished()} instead
   */
  KernelIrp(int stackCount, ProcessorMode requestorMode, byte[] systemBuffer,
      KernelFileObject originalFile, Finisher finisher) {
    this(stackCount, requestorMode, systemBuffer, originalFile, finisher, false);
  }

  /** A request a driver allocated with {@code IoAllocateIrp}. */
  static KernelIrp allocated(int stackCount, byte[] systemBuffer) {
    return new KernelIrp(stackCount, ProcessorMode.KERNEL, systemBuffer, null, null, true);
  }

  private KernelIrp(int stackCount, ProcessorMode requestorMode, byte[] systemBuffer,
      KernelFileObject originalFile, Finisher finisher, boolean allocated) {
    if (stackCount < 1) {
      throw new IllegalArgumentException("stack count " + stackCount);
    }
    this.locations = new StackLocation[stackCount + 1];
    for (int i = 1; i <= stackCount; i++) {
      locations[i] = new StackLocation();
    }
    this.requestorMode = Objects.requireNonNull(requestorMode);
    this.systemBuffer = systemBuffer == null ? new byte[0] : systemBuffer;
    this.originalFile = originalFile;
    this.finisher = finisher;
    this.allocated = allocated;
    this.currentLocation = stackCount + 1;
  }

  // Stack locations -------------------------------------------------------------------------------

  @Override
  public StackLocation nextStackLocation() {
    int next = currentLocation - 1;
    if (next < 1) {
      throw new IllegalStateException(
          "IRP has no stack location left (StackCount " + stackCount() + ")");
    }
    return locations[next];
  }

  /** IoCallDriver's step down; false when there is no location left. */
  boolean advance() {
    if (currentLocation - 1 < 1) {
      return false;
    }
    currentLocation--;
    return true;
  }

  int currentLocationIndex() {
    return currentLocation;
  }

  void setCurrentLocationIndex(int index) {
    currentLocation = index;
  }

  /** Location {@code index} (1..StackCount). */
  StackLocation location(int index) {
    return locations[index];
  }

  @Override
  public IoStatusBlock ioStatus() {
    return ioStatus;
  }

  @Override
  public StackLocation currentStackLocation() {
    int current = currentLocation;
    if (current < 1 || current > stackCount()) {
      throw new IllegalStateException("no current stack location (CurrentLocation " + current + ")");
    }
    return locations[current];
  }

  @Override
  public void skipCurrentStackLocation() {
    currentLocation++;
  }

  @Override
  public void copyCurrentStackLocationToNext() {
    nextStackLocation().copyFrom(currentStackLocation());
  }

  @Override
  public int stackCount() {
    return locations.length - 1;
  }

  @Override
  public ProcessorMode requestorMode() {
    return requestorMode;
  }

  @Override
  public byte[] systemBuffer() {
    return systemBuffer;
  }

  @Override
  public ntio.ddk.Mdl mdlAddress() {
    return mdl;
  }

  @Override
  public java.nio.ByteBuffer userBuffer() {
    java.nio.ByteBuffer buffer = userBuffer;
    return buffer == null ? null : buffer.duplicate();
  }

  /** Sets the caller's buffers of a direct or neither request, before it is sent. */
  void setCallerBuffers(ntio.ddk.Mdl mdl, java.nio.ByteBuffer userBuffer) {
    this.mdl = mdl;
    this.userBuffer = userBuffer;
  }

  boolean isAllocated() {
    return allocated;
  }

  /** IoFreeIrp's mark; false if it was freed already. */
  boolean markFreed() {
    if (freed) {
      return false;
    }
    freed = true;
    return true;
  }

  boolean isFreed() {
    return freed;
  }

  KernelFileObject originalFile() {
    return originalFile;
  }

  // Pending ---------------------------------------------------------------------------------------

  @Override
  public boolean pendingReturned() {
    return pendingReturned;
  }

  void setPendingReturned(boolean returned) {
    pendingReturned = returned;
  }

  @Override
  public void markPending() {
    currentStackLocation().control |= SL_PENDING_RETURNED;
  }

  // Completion routines ---------------------------------------------------------------------------

  @Override
  public void setCompletionRoutine(CompletionRoutine routine, Object context,
      boolean invokeOnSuccess, boolean invokeOnError, boolean invokeOnCancel) {
    StackLocation next = nextStackLocation();
    next.completionRoutine = routine;
    next.context = context;
    int control = next.control & SL_PENDING_RETURNED;
    if (routine != null) {
      control |= (invokeOnSuccess ? SL_INVOKE_ON_SUCCESS : 0)
          | (invokeOnError ? SL_INVOKE_ON_ERROR : 0)
          | (invokeOnCancel ? SL_INVOKE_ON_CANCEL : 0);
    }
    next.control = control;
  }

  /**
   * Starts IoCompleteRequest; false if the request is already being completed or was completed
   * (a second completion).
   */
  boolean beginCompletion() {
    return !finished && COMPLETING.compareAndSet(this, false, true);
  }

  /** Whether IoCompleteRequest is running on it now, or ran and was not handed back. */
  boolean isCompletionStarted() {
    return (boolean) COMPLETING.getVolatile(this);
  }

  /** A completion routine returned STATUS_MORE_PROCESSING_REQUIRED: the request is owned again. */
  void handBack() {
    COMPLETING.setVolatile(this, false);
  }

  /** The last location was completed: the request is the I/O manager's for good. */
  void finish() {
    finished = true;
    Thread waiting = waiter;
    if (waiting != null) {
      LockSupport.unpark(waiting);
    }
    if (finisher != null) {
      finisher.finish(this);
    }
  }

  /**
   * Waits, non-alertable and however long it takes, until {@link #finish()} ran. Only the sender
   * waits, so there is at most one waiter: it publishes itself, then checks, and {@link #finish()}
   * sets the flag, then looks for it, so one of the two always sees the other.
   */
  void awaitFinished() {
    if (finished) {
      return;
    }
    waiter = Thread.currentThread();
    boolean interrupted = false;
    while (!finished) {
      LockSupport.park(this);
      interrupted |= Thread.interrupted();
    }
    waiter = null;
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Whether IoCompleteRequest ran past the top location. */
  boolean isFinished() {
    return finished;
  }

  // Cancellation ----------------------------------------------------------------------------------

  @Override
  public CancelRoutine setCancelRoutine(CancelRoutine routine) {
    return (CancelRoutine) CANCEL_ROUTINE.getAndSet(this, routine);
  }

  @Override
  public boolean isCancelled() {
    return cancel;
  }

  /** IoCancelIrp's two steps: mark cancelled, then take the routine (null if there is none). */
  CancelRoutine markCancelledAndTakeRoutine() {
    cancel = true;
    return (CancelRoutine) CANCEL_ROUTINE.getAndSet(this, (CancelRoutine) null);
  }

  /** IoCompleteRequest drops a cancel routine the driver left set, so that it can never run. */
  CancelRoutine takeCancelRoutine() {
    return (CancelRoutine) CANCEL_ROUTINE.getAndSet(this, (CancelRoutine) null);
  }

  @Override
  public String toString() {
    StackLocation top = locations[stackCount()];
    return "IRP[" + ntio.ddk.MajorFunctions.name(top.majorFunction) + ", location "
        + currentLocation + "/" + stackCount() + (cancel ? ", cancelled" : "")
        + (finished ? ", completed " + ioStatus.status() : "") + "]";
  }

  /** One stack location. Models {@code IO_STACK_LOCATION} (partial: the parameters ntio uses). */
  static final class StackLocation implements IoStackLocation {
    volatile int majorFunction;
    volatile int minorFunction;
    volatile int control;
    volatile DeviceObject deviceObject;
    volatile FileObject fileObject;
    volatile CompletionRoutine completionRoutine;
    volatile Object context;
    volatile int desiredAccess;
    volatile int shareAccess;
    volatile int createOptions;
    volatile int length;
    volatile long byteOffset;
    volatile int ioControlCode;
    volatile int fileInformationClass;
    volatile int inputBufferLength;
    volatile int outputBufferLength;
    volatile java.nio.ByteBuffer type3InputBuffer;

    /** IoCopyCurrentIrpStackLocationToNext: everything but the completion routine and control. */
    void copyFrom(StackLocation other) {
      majorFunction = other.majorFunction;
      minorFunction = other.minorFunction;
      fileObject = other.fileObject;
      desiredAccess = other.desiredAccess;
      shareAccess = other.shareAccess;
      createOptions = other.createOptions;
      length = other.length;
      byteOffset = other.byteOffset;
      ioControlCode = other.ioControlCode;
      fileInformationClass = other.fileInformationClass;
      inputBufferLength = other.inputBufferLength;
      outputBufferLength = other.outputBufferLength;
      type3InputBuffer = other.type3InputBuffer;
      completionRoutine = null;
      context = null;
      control = 0;
    }

    /** What IoCompleteRequest clears of a location it has passed. */
    void clearCompletion() {
      control = 0;
      completionRoutine = null;
      context = null;
    }

    @Override
    public int majorFunction() {
      return majorFunction;
    }

    @Override
    public void setMajorFunction(int majorFunction) {
      this.majorFunction = majorFunction;
    }

    @Override
    public int minorFunction() {
      return minorFunction;
    }

    @Override
    public DeviceObject deviceObject() {
      return deviceObject;
    }

    @Override
    public FileObject fileObject() {
      return fileObject;
    }

    @Override
    public void setFileObject(FileObject fileObject) {
      this.fileObject = fileObject;
    }

    @Override
    public int desiredAccess() {
      return desiredAccess;
    }

    @Override
    public int shareAccess() {
      return shareAccess;
    }

    @Override
    public int createOptions() {
      return createOptions;
    }

    @Override
    public int length() {
      return length;
    }

    @Override
    public void setLength(int length) {
      this.length = length;
    }

    @Override
    public long byteOffset() {
      return byteOffset;
    }

    @Override
    public void setByteOffset(long byteOffset) {
      this.byteOffset = byteOffset;
    }

    @Override
    public int ioControlCode() {
      return ioControlCode;
    }

    @Override
    public void setDeviceControl(int ioControlCode, int inputBufferLength,
        int outputBufferLength) {
      this.ioControlCode = ioControlCode;
      this.inputBufferLength = inputBufferLength;
      this.outputBufferLength = outputBufferLength;
    }

    @Override
    public int fileInformationClass() {
      return fileInformationClass;
    }

    @Override
    public int fsInformationClass() {
      // Parameters.QueryVolume.FsInformationClass shares its slot with QueryFile's class.
      return fileInformationClass;
    }

    @Override
    public int inputBufferLength() {
      return inputBufferLength;
    }

    @Override
    public int outputBufferLength() {
      return outputBufferLength;
    }

    @Override
    public java.nio.ByteBuffer type3InputBuffer() {
      java.nio.ByteBuffer buffer = type3InputBuffer;
      return buffer == null ? null : buffer.duplicate();
    }
  }

  /**
   * {@code IoStatus}: STATUS_PENDING until a driver sets the result, for the requests the I/O
   * manager sends; a driver-built request's starts zeroed ({@link DriverBuiltRequest}).
   */
  static final class StatusBlock implements IoStatusBlock {
    private volatile NtStatus status = NtStatus.STATUS_PENDING;
    private volatile long information;

    @Override
    public NtStatus status() {
      return status;
    }

    @Override
    public void setStatus(NtStatus status) {
      this.status = Objects.requireNonNull(status, "status");
    }

    @Override
    public long information() {
      return information;
    }

    @Override
    public void setInformation(long information) {
      this.information = information;
    }
  }
}
