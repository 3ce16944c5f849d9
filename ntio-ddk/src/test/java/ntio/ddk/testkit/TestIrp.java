package ntio.ddk.testkit;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
import ntio.ddk.Mdl;
import ntio.ddk.NtStatus;
import ntio.ddk.ProcessorMode;

/**
 * A buffered request as the I/O manager hands it to the top driver of a two-device stack: the top
 * driver's stack location is current and one location is left below it. Models {@code IRP}
 * (partial: buffered I/O only, no MDL, no user buffer).
 *
 * <p>It follows the DDK's rules, as the kernel's IRP does: locations are numbered as NT's {@code
 * CurrentLocation} (1..{@code StackCount}, the current one counting down with each {@code
 * IoCallDriver}); {@link #skipCurrentStackLocation()} moves the current location back up so the
 * driver below reuses it; a completion routine is stored in the location below its driver's;
 * {@code IoStatus} starts at {@code STATUS_PENDING}; the cancel routine is exchanged atomically.
 * {@link TestKernel}'s {@code IoCompleteRequest} walks the locations bottom-up running each routine,
 * stops where one returns {@code STATUS_MORE_PROCESSING_REQUIRED}, and finishes the request past
 * the top. Besides, it records what drivers did to it (marked pending, skipped a location) for the
 * test to read.
 */
public final class TestIrp implements Irp {

  /** The locations a kit request has: the top driver's and one below it. */
  private static final int STACK_COUNT = 2;

  /** Locations 1..StackCount; index 0 is unused, so that indexes read as NT's CurrentLocation. */
  private final TestStackLocation[] locations = new TestStackLocation[STACK_COUNT + 1];
  private final Status ioStatus = new Status();
  private final byte[] systemBuffer;
  private final AtomicReference<CancelRoutine> cancelRoutine = new AtomicReference<>();
  /** Whether IoCompleteRequest is running or ran and was not handed back. */
  private final AtomicBoolean completing = new AtomicBoolean();
  private final AtomicInteger completions = new AtomicInteger();
  private final CountDownLatch finished = new CountDownLatch(1);
  /** {@code CurrentLocation}: the top driver's, as if one IoCallDriver delivered the request. */
  private volatile int currentLocation = STACK_COUNT;
  private volatile boolean pendingReturned;
  private volatile boolean cancel;
  private volatile boolean markedPending;
  private volatile boolean skipped;
  private volatile DeviceObject cancelOnSetDevice;
  private volatile boolean cancelOnSet;

  private TestIrp(int majorFunction, FileObject file, int length, byte[] systemBuffer) {
    for (int i = 1; i <= STACK_COUNT; i++) {
      locations[i] = new TestStackLocation();
    }
    TestStackLocation top = top();
    top.majorFunction = majorFunction;
    top.fileObject = file;
    top.length = length;
    this.systemBuffer = systemBuffer;
  }

  /** An {@code IRP_MJ_READ} of {@code length} bytes on {@code file}. */
  public static TestIrp read(FileObject file, int length) {
    return new TestIrp(MajorFunctions.IRP_MJ_READ, file, length, new byte[length]);
  }

  /** An {@code IRP_MJ_WRITE} of {@code data} on {@code file}. */
  public static TestIrp write(FileObject file, byte[] data) {
    return new TestIrp(MajorFunctions.IRP_MJ_WRITE, file, data.length, data.clone());
  }

  /** A request of {@code majorFunction} without data on {@code file}, such as a cleanup. */
  public static TestIrp of(int majorFunction, FileObject file) {
    return new TestIrp(majorFunction, file, 0, new byte[0]);
  }

  /** A buffered {@code IRP_MJ_DEVICE_CONTROL} with no input. */
  public static TestIrp deviceControl(FileObject file, int ioControlCode, int outputLength) {
    TestIrp irp = new TestIrp(MajorFunctions.IRP_MJ_DEVICE_CONTROL, file, 0, new byte[outputLength]);
    irp.top().setDeviceControl(ioControlCode, 0, outputLength);
    return irp;
  }

  // Cancellation ----------------------------------------------------------------------------------

  /**
   * {@code IoCancelIrp}: marks the request cancelled, takes its cancel routine and, if there was
   * one, calls it for {@code device}.
   *
   * @return whether a cancel routine was called
   */
  public boolean cancel(DeviceObject device) {
    cancel = true;
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
    cancel = true;
  }

  /** Whether a cancel routine is set now. */
  public boolean hasCancelRoutine() {
    return cancelRoutine.get() != null;
  }

  // What drivers did ------------------------------------------------------------------------------

  /** How many times {@code IoCompleteRequest} was called on the request. */
  public int completions() {
    return completions.get();
  }

  /** Waits up to {@code timeout} for the request to be completed past its top location; whether it was. */
  public boolean awaitCompleted(Duration timeout) throws InterruptedException {
    return finished.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Whether a driver called {@link #markPending()}. */
  public boolean isMarkedPending() {
    return markedPending;
  }

  /** Whether a driver called {@link #skipCurrentStackLocation()}. */
  public boolean isSkipped() {
    return skipped;
  }

  /**
   * Sets {@code PendingReturned}, as {@code IoCompleteRequest} does before a completion routine:
   * for a test that calls a routine itself.
   */
  public void setPendingReturned(boolean pendingReturned) {
    this.pendingReturned = pendingReturned;
  }

  /** The location below the top driver's, as that driver left it for the driver below. */
  public IoStackLocation next() {
    return below();
  }

  /** The completion routine the top driver set for the location below, or null. */
  public CompletionRoutine completionRoutine() {
    return below().completionRoutine;
  }

  /** The context given with {@link #completionRoutine()}. */
  public Object completionContext() {
    return below().context;
  }

  /** When {@link #completionRoutine()} runs: on success, on error and on cancel as bits 4, 2, 1. */
  public int invokeOn() {
    int control = below().control;
    return ((control & TestStackLocation.SL_INVOKE_ON_SUCCESS) != 0 ? 4 : 0)
        | ((control & TestStackLocation.SL_INVOKE_ON_ERROR) != 0 ? 2 : 0)
        | ((control & TestStackLocation.SL_INVOKE_ON_CANCEL) != 0 ? 1 : 0);
  }

  private TestStackLocation top() {
    return locations[STACK_COUNT];
  }

  private TestStackLocation below() {
    return locations[STACK_COUNT - 1];
  }

  // Irp -------------------------------------------------------------------------------------------

  @Override
  public IoStatusBlock ioStatus() {
    return ioStatus;
  }

  @Override
  public TestStackLocation currentStackLocation() {
    int current = currentLocation;
    if (current < 1 || current > STACK_COUNT) {
      throw new IllegalStateException("no current stack location (CurrentLocation " + current + ")");
    }
    return locations[current];
  }

  @Override
  public TestStackLocation nextStackLocation() {
    int next = currentLocation - 1;
    if (next < 1) {
      throw new IllegalStateException("IRP has no stack location left (StackCount " + STACK_COUNT + ")");
    }
    return locations[next];
  }

  @Override
  public void skipCurrentStackLocation() {
    skipped = true;
    currentLocation++;
  }

  @Override
  public void copyCurrentStackLocationToNext() {
    nextStackLocation().copyFrom(currentStackLocation());
  }

  @Override
  public int stackCount() {
    return STACK_COUNT;
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
    currentStackLocation().control |= TestStackLocation.SL_PENDING_RETURNED;
  }

  @Override
  public void setCompletionRoutine(CompletionRoutine routine, Object context,
      boolean invokeOnSuccess, boolean invokeOnError, boolean invokeOnCancel) {
    TestStackLocation next = nextStackLocation();
    next.completionRoutine = routine;
    next.context = context;
    int control = next.control & TestStackLocation.SL_PENDING_RETURNED;
    if (routine != null) {
      control |= (invokeOnSuccess ? TestStackLocation.SL_INVOKE_ON_SUCCESS : 0)
          | (invokeOnError ? TestStackLocation.SL_INVOKE_ON_ERROR : 0)
          | (invokeOnCancel ? TestStackLocation.SL_INVOKE_ON_CANCEL : 0);
    }
    next.control = control;
  }

  @Override
  public CancelRoutine setCancelRoutine(CancelRoutine routine) {
    CancelRoutine previous = cancelRoutine.getAndSet(routine);
    if (routine != null && cancelOnSet) {
      cancelOnSet = false;
      cancelOnAnotherThread();
    }
    return previous;
  }

  private void cancelOnAnotherThread() {
    CountDownLatch taken = new CountDownLatch(1);
    Thread canceller = new Thread(() -> {
      cancel = true;
      CancelRoutine cancelling = cancelRoutine.getAndSet(null);
      taken.countDown();
      if (cancelling != null) {
        cancelling.cancel(cancelOnSetDevice, this);
      }
    }, "IoCancelIrp of " + this);
    canceller.start();
    try {
      taken.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  public boolean isCancelled() {
    return cancel;
  }

  @Override
  public byte[] systemBuffer() {
    return systemBuffer;
  }

  /** The kit's requests are buffered: no MDL. */
  @Override
  public Mdl mdlAddress() {
    return null;
  }

  /** The kit's requests are buffered: no user buffer. */
  @Override
  public ByteBuffer userBuffer() {
    return null;
  }

  @Override
  public String toString() {
    return "TestIrp[" + MajorFunctions.name(top().majorFunction) + "@"
        + Integer.toHexString(System.identityHashCode(this)) + "]";
  }

  // The I/O manager's side, for TestKernel --------------------------------------------------------

  /** {@code IoCallDriver}'s step down to {@code device}; false when there is no location left. */
  boolean advanceTo(DeviceObject device) {
    if (currentLocation - 1 < 1) {
      return false;
    }
    currentLocation--;
    currentStackLocation().deviceObject = device;
    return true;
  }

  /** Starts IoCompleteRequest; false if the request is being or was completed (a second completion). */
  boolean beginCompletion() {
    completions.incrementAndGet();
    return finished.getCount() > 0 && completing.compareAndSet(false, true);
  }

  /**
   * The walk of {@code IoCompleteRequest}: up from the current location, running the completion
   * routine each driver set for the one below it, propagating pending where a driver set none, and
   * stopping where a routine returns {@code STATUS_MORE_PROCESSING_REQUIRED} (the request is then
   * the routine's driver's again). Past the top location the request is finished.
   */
  void complete() {
    cancelRoutine.set(null);
    for (int index = currentLocation; index <= STACK_COUNT; index++) {
      TestStackLocation stack = locations[index];
      currentLocation = index + 1;
      pendingReturned = (stack.control & TestStackLocation.SL_PENDING_RETURNED) != 0;
      CompletionRoutine routine = stack.completionRoutine;
      Object context = stack.context;
      int control = stack.control;
      stack.clearCompletion();
      NtStatus status = ioStatus.status();
      boolean invoke = routine != null
          && ((status.isSuccess() && (control & TestStackLocation.SL_INVOKE_ON_SUCCESS) != 0)
              || (!status.isSuccess() && (control & TestStackLocation.SL_INVOKE_ON_ERROR) != 0)
              || (cancel && (control & TestStackLocation.SL_INVOKE_ON_CANCEL) != 0));
      if (invoke) {
        DeviceObject upper = index + 1 <= STACK_COUNT ? locations[index + 1].deviceObject : null;
        if (NtStatus.STATUS_MORE_PROCESSING_REQUIRED.equals(routine.onCompletion(upper, this, context))) {
          completing.set(false);
          return;
        }
      } else if (pendingReturned && index + 1 <= STACK_COUNT) {
        locations[index + 1].control |= TestStackLocation.SL_PENDING_RETURNED;
      }
    }
    finished.countDown();
  }

  /** {@code IO_STATUS_BLOCK}: starts at {@code STATUS_PENDING}, as the I/O manager sets it. */
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
