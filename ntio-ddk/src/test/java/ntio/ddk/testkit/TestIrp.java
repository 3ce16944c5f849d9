package ntio.ddk.testkit;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import ntio.ddk.AbstractIrp;
import ntio.ddk.CancelRoutine;
import ntio.ddk.CompletionRoutine;
import ntio.ddk.DeviceObject;
import ntio.ddk.FileObject;
import ntio.ddk.IoStackLocation;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;
import ntio.ddk.ProcessorMode;

/**
 * A buffered request as the I/O manager hands it to the top driver of a two-device stack: the top
 * driver's stack location is current and one location is left below it. Models {@code IRP}
 * (partial: buffered I/O only, no MDL, no user buffer).
 *
 * <p>The IRP's fields and {@code wdm.h}'s inline routines on them are the DDK's own {@link
 * AbstractIrp}, which the kernel's IRP extends too: locations are numbered as NT's {@code
 * CurrentLocation}, a completion routine is stored in the location below its driver's, {@code
 * IoStatus} starts at {@code STATUS_PENDING}, the cancel routine is exchanged atomically. {@link
 * TestKernel}'s {@code IoCompleteRequest} walks the locations bottom-up with {@link
 * AbstractIrp}'s step, stops where a routine returns {@code STATUS_MORE_PROCESSING_REQUIRED}, and
 * finishes the request past the top. Besides, it records what drivers did to it (marked pending,
 * skipped a location) for the test to read.
 */
public final class TestIrp extends AbstractIrp {

  /** The locations a kit request has: the top driver's and one below it. */
  private static final int STACK_COUNT = 2;

  /** Whether IoCompleteRequest is running or ran and was not handed back. */
  private final AtomicBoolean completing = new AtomicBoolean();
  private final AtomicInteger completions = new AtomicInteger();
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile boolean markedPending;
  private volatile boolean skipped;
  private volatile DeviceObject cancelOnSetDevice;
  private volatile boolean cancelOnSet;

  /** The top driver's location is current, as if one IoCallDriver (to no device) delivered it. */
  private TestIrp(int majorFunction, FileObject file, int length, byte[] systemBuffer) {
    super(STACK_COUNT, ProcessorMode.USER, systemBuffer);
    ioManagerSteps().advance(null);
    IoStackLocation top = top();
    top.setMajorFunction(majorFunction);
    top.setFileObject(file);
    top.setLength(length);
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
   * one, calls it for {@code device}. For a device of a {@link TestKernel} it does so as the
   * kernel does: under that kernel's cancel spin lock, the routine called at DISPATCH_LEVEL holding
   * it with the canceller's IRQL in {@link #cancelIrql()}, for the routine to release. For no
   * device (or one of no kit kernel) there is no kernel to own a cancel spin lock, and the routine
   * is called with none held.
   *
   * @return whether a cancel routine was called
   */
  public boolean cancel(DeviceObject device) {
    return cancel(device, () -> {});
  }

  private boolean cancel(DeviceObject device, Runnable taken) {
    if (device instanceof TestDevice kitDevice && kitDevice.kernel() != null) {
      return kitDevice.kernel().dispatcher().cancel(this, device, taken);
    }
    CancelRoutine routine = markCancelledAndTakeRoutine();
    taken.run();
    if (routine == null) {
      return false;
    }
    routine.cancel(device, this);
    return true;
  }

  /** IoCancelIrp's two steps: mark cancelled, then take the routine (null if there is none). */
  CancelRoutine markCancelledAndTakeRoutine() {
    ioManagerSteps().markCancelled();
    return ioManagerSteps().takeCancelRoutine();
  }

  /** {@code Irp->CancelIrql}, set by the kit's IoCancelIrp under the cancel spin lock. */
  void setCancelIrqlForKit(ntio.ddk.Irql irql) {
    ioManagerSteps().setCancelIrql(irql);
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
    ioManagerSteps().markCancelled();
  }

  /** Whether a cancel routine is set now. */
  public boolean hasCancelRoutine() {
    return ioManagerSteps().cancelRoutine() != null;
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
    ioManagerSteps().setPendingReturned(pendingReturned);
  }

  /** The location below the top driver's, as that driver left it for the driver below. */
  public IoStackLocation next() {
    return ioManagerSteps().location(STACK_COUNT - 1);
  }

  /** The completion routine the top driver set for the location below, or null. */
  public CompletionRoutine completionRoutine() {
    return next().completionRoutine();
  }

  /** The context given with {@link #completionRoutine()}. */
  public Object completionContext() {
    return next().completionContext();
  }

  /** When {@link #completionRoutine()} runs: on success, on error and on cancel as bits 4, 2, 1. */
  public int invokeOn() {
    int control = next().control();
    return ((control & IoStackLocation.SL_INVOKE_ON_SUCCESS) != 0 ? 4 : 0)
        | ((control & IoStackLocation.SL_INVOKE_ON_ERROR) != 0 ? 2 : 0)
        | ((control & IoStackLocation.SL_INVOKE_ON_CANCEL) != 0 ? 1 : 0);
  }

  private IoStackLocation top() {
    return ioManagerSteps().location(STACK_COUNT);
  }

  // What the kit records of the inline routines ---------------------------------------------------

  @Override
  public void skipCurrentStackLocation() {
    skipped = true;
    super.skipCurrentStackLocation();
  }

  @Override
  public void markPending() {
    markedPending = true;
    super.markPending();
  }

  @Override
  public CancelRoutine setCancelRoutine(CancelRoutine routine) {
    CancelRoutine previous = super.setCancelRoutine(routine);
    if (routine != null && cancelOnSet) {
      cancelOnSet = false;
      cancelOnAnotherThread();
    }
    return previous;
  }

  private void cancelOnAnotherThread() {
    CountDownLatch taken = new CountDownLatch(1);
    Thread canceller = new Thread(() -> cancel(cancelOnSetDevice, taken::countDown),
        "IoCancelIrp of " + this);
    canceller.start();
    try {
      taken.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  public String toString() {
    return "TestIrp[" + MajorFunctions.name(top().majorFunction()) + "@"
        + Integer.toHexString(System.identityHashCode(this)) + "]";
  }

  // The I/O manager's side, for TestKernel --------------------------------------------------------

  /** {@code IoCallDriver}'s step down to {@code device}; false when there is no location left. */
  boolean advanceTo(DeviceObject device) {
    return ioManagerSteps().advance(device);
  }

  /** Starts IoCompleteRequest; false if the request is being or was completed (a second completion). */
  boolean beginCompletion() {
    completions.incrementAndGet();
    return finished.getCount() > 0 && completing.compareAndSet(false, true);
  }

  /**
   * The walk of {@code IoCompleteRequest}: up from the current location, running the completion
   * routine each driver set for the one below it (the DDK's step propagates pending where a driver
   * set none), and stopping where a routine returns {@code STATUS_MORE_PROCESSING_REQUIRED} (the
   * request is then the routine's driver's again). Past the top location the request is finished.
   */
  void complete() {
    IoManagerSteps steps = ioManagerSteps();
    steps.takeCancelRoutine();
    for (int index = steps.currentLocation(); index <= STACK_COUNT; index++) {
      CompletionCall call = steps.completeLocation(index);
      if (call != null && NtStatus.STATUS_MORE_PROCESSING_REQUIRED.equals(call.run(this))) {
        completing.set(false);
        return;
      }
    }
    finished.countDown();
  }
}
