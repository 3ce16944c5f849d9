package ntio.drivers;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import ntio.ddk.CancelRoutine;
import ntio.ddk.CompletionRoutine;
import ntio.ddk.DeviceObject;
import ntio.ddk.FileObject;
import ntio.ddk.IoStackLocation;
import ntio.ddk.IoStatusBlock;
import ntio.ddk.Irp;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;
import ntio.ddk.ProcessorMode;

/**
 * An IRP without a kernel, for testing a driver's dispatch, cancel and completion routines: one
 * current stack location and one below it, a status block that starts at {@code STATUS_PENDING},
 * the cancel routine exchanged atomically as the DDK says, and a record of what the driver did to
 * it. {@link FakeKernel} completes and cancels it.
 */
public final class FakeIrp implements Irp {

  private final Location current = new Location();
  private final Location next = new Location();
  private final Status ioStatus = new Status();
  private final byte[] systemBuffer;
  private final AtomicReference<CancelRoutine> cancelRoutine = new AtomicReference<>();
  private final AtomicInteger completions = new AtomicInteger();
  private final CountDownLatch completed = new CountDownLatch(1);
  private volatile boolean cancelled;
  private volatile boolean cancelOnSet;
  private volatile DeviceObject cancelOnSetDevice;
  private volatile boolean markedPending;
  private volatile boolean pendingReturned;
  private volatile boolean skipped;
  private volatile CompletionRoutine completionRoutine;
  private volatile Object completionContext;
  private volatile int invokeOn;

  private FakeIrp(int majorFunction, FileObject file, int length, byte[] systemBuffer) {
    current.majorFunction = majorFunction;
    current.fileObject = file;
    current.length = length;
    this.systemBuffer = systemBuffer;
  }

  /** An {@code IRP_MJ_READ} of {@code length} bytes on {@code file}. */
  public static FakeIrp read(FileObject file, int length) {
    return new FakeIrp(MajorFunctions.IRP_MJ_READ, file, length, new byte[length]);
  }

  /** An {@code IRP_MJ_WRITE} of {@code data} on {@code file}. */
  public static FakeIrp write(FileObject file, byte[] data) {
    return new FakeIrp(MajorFunctions.IRP_MJ_WRITE, file, data.length, data.clone());
  }

  /** A request of {@code majorFunction} without data on {@code file}, such as a cleanup. */
  public static FakeIrp of(int majorFunction, FileObject file) {
    return new FakeIrp(majorFunction, file, 0, new byte[0]);
  }

  /** A buffered {@code IRP_MJ_DEVICE_CONTROL} with no input. */
  public static FakeIrp deviceControl(FileObject file, int ioControlCode, int outputLength) {
    FakeIrp irp =
        new FakeIrp(MajorFunctions.IRP_MJ_DEVICE_CONTROL, file, 0, new byte[outputLength]);
    irp.current.ioControlCode = ioControlCode;
    irp.current.outputBufferLength = outputLength;
    return irp;
  }

  /**
   * What {@code IoCancelIrp} does: marks the request cancelled, takes its cancel routine and, if
   * there was one, calls it for {@code device}.
   *
   * @return whether a cancel routine was called
   */
  public boolean cancel(DeviceObject device) {
    cancelled = true;
    CancelRoutine routine = cancelRoutine.getAndSet(null);
    if (routine == null) {
      return false;
    }
    routine.cancel(device, this);
    return true;
  }

  /**
   * Makes the next {@link #setCancelRoutine} of a routine start {@code IoCancelIrp} on another
   * thread and return only once that thread has taken the routine: the race of a cancel arriving
   * between a driver setting its routine and checking {@link #isCancelled()}. The routine is then
   * called on that thread, for {@code device}, as {@link #cancel} would.
   */
  public void cancelRightAfterACancelRoutineIsSet(DeviceObject device) {
    cancelOnSetDevice = device;
    cancelOnSet = true;
  }

  /** Only the first half of {@link #cancel}: marks it cancelled without taking the routine. */
  public void markCancelled() {
    cancelled = true;
  }

  /** Called by {@link FakeKernel} as {@code IoCompleteRequest}; how many times it ran before. */
  int recordCompletion() {
    cancelRoutine.set(null);
    int before = completions.getAndIncrement();
    completed.countDown();
    return before;
  }

  /** How many times the request was completed. */
  public int completions() {
    return completions.get();
  }

  /** Waits up to {@code timeout} for the request to be completed; whether it was. */
  public boolean awaitCompleted(Duration timeout) throws InterruptedException {
    return completed.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Whether a driver called {@link #markPending()}. */
  public boolean isMarkedPending() {
    return markedPending;
  }

  /** Whether a cancel routine is set now. */
  public boolean hasCancelRoutine() {
    return cancelRoutine.get() != null;
  }

  /** Whether a driver called {@link #skipCurrentStackLocation()}. */
  public boolean isSkipped() {
    return skipped;
  }

  /** Sets {@code PendingReturned}, as {@code IoCompleteRequest} does before a completion routine. */
  public void setPendingReturned(boolean pendingReturned) {
    this.pendingReturned = pendingReturned;
  }

  /** The completion routine a driver set for the location below, or null. */
  public CompletionRoutine completionRoutine() {
    return completionRoutine;
  }

  /** The context given with {@link #completionRoutine()}. */
  public Object completionContext() {
    return completionContext;
  }

  /** Whether the completion routine runs on success, on error and on cancel: bits 4, 2, 1. */
  public int invokeOn() {
    return invokeOn;
  }

  /** The location below, as the driver left it. */
  public IoStackLocation next() {
    return next;
  }

  @Override
  public IoStatusBlock ioStatus() {
    return ioStatus;
  }

  @Override
  public IoStackLocation currentStackLocation() {
    return current;
  }

  @Override
  public void skipCurrentStackLocation() {
    skipped = true;
  }

  @Override
  public void copyCurrentStackLocationToNext() {
    next.majorFunction = current.majorFunction;
    next.fileObject = current.fileObject;
    next.length = current.length;
    next.byteOffset = current.byteOffset;
    next.ioControlCode = current.ioControlCode;
    next.outputBufferLength = current.outputBufferLength;
  }

  @Override
  public int stackCount() {
    return 2;
  }

  @Override
  public ProcessorMode requestorMode() {
    return ProcessorMode.USER;
  }

  @Override
  public boolean pendingReturned() {
    return pendingReturned;
  }

  @Override
  public void markPending() {
    markedPending = true;
  }

  @Override
  public IoStackLocation nextStackLocation() {
    return next;
  }

  @Override
  public void setCompletionRoutine(CompletionRoutine routine, Object context,
      boolean invokeOnSuccess, boolean invokeOnError, boolean invokeOnCancel) {
    completionRoutine = routine;
    completionContext = context;
    invokeOn = (invokeOnSuccess ? 4 : 0) | (invokeOnError ? 2 : 0) | (invokeOnCancel ? 1 : 0);
  }

  @Override
  public CancelRoutine setCancelRoutine(CancelRoutine routine) {
    CancelRoutine previous = cancelRoutine.getAndSet(routine);
    if (routine != null && cancelOnSet) {
      cancelOnSet = false;
      CountDownLatch taken = new CountDownLatch(1);
      Thread canceller =
          new Thread(
              () -> {
                cancelled = true;
                CancelRoutine cancelling = cancelRoutine.getAndSet(null);
                taken.countDown();
                if (cancelling != null) {
                  cancelling.cancel(cancelOnSetDevice, this);
                }
              },
              "IoCancelIrp of " + this);
      canceller.start();
      try {
        taken.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    return previous;
  }

  @Override
  public boolean isCancelled() {
    return cancelled;
  }

  @Override
  public byte[] systemBuffer() {
    return systemBuffer;
  }

  /** The samples are buffered-I/O devices: no MDL. */
  @Override
  public ntio.ddk.Mdl mdlAddress() {
    return null;
  }

  /** The samples are buffered-I/O devices: no user buffer. */
  @Override
  public java.nio.ByteBuffer userBuffer() {
    return null;
  }

  @Override
  public String toString() {
    return "FakeIrp[" + MajorFunctions.name(current.majorFunction) + "@"
        + Integer.toHexString(System.identityHashCode(this)) + "]";
  }

  private static final class Location implements IoStackLocation {
    volatile int majorFunction;
    volatile FileObject fileObject;
    volatile int length;
    volatile long byteOffset;
    volatile int ioControlCode;
    volatile int outputBufferLength;

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
      return 0;
    }

    @Override
    public DeviceObject deviceObject() {
      return null;
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
      return 0;
    }

    @Override
    public int shareAccess() {
      return 0;
    }

    @Override
    public int createOptions() {
      return 0;
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
    public int inputBufferLength() {
      return 0;
    }

    @Override
    public int outputBufferLength() {
      return outputBufferLength;
    }

    @Override
    public java.nio.ByteBuffer type3InputBuffer() {
      return null;
    }

    @Override
    public int fileInformationClass() {
      return 0;
    }

    @Override
    public int fsInformationClass() {
      return 0;
    }

    @Override
    public void setDeviceControl(int ioControlCode, int inputBufferLength,
        int outputBufferLength) {
      this.ioControlCode = ioControlCode;
      this.outputBufferLength = outputBufferLength;
    }
  }

  private static final class Status implements IoStatusBlock {
    private volatile NtStatus status = NtStatus.STATUS_PENDING;
    private volatile long information;

    @Override
    public NtStatus status() {
      return status;
    }

    @Override
    public void setStatus(NtStatus status) {
      this.status = status;
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
