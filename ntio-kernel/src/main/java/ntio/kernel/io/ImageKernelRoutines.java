package ntio.kernel.io;

import java.time.Duration;
import ntio.ddk.DeferredRoutine;
import ntio.ddk.DispatcherObject;
import ntio.ddk.Irql;
import ntio.ddk.KernelDpc;
import ntio.ddk.KernelEvent;
import ntio.ddk.KernelSpinLock;
import ntio.ddk.KernelTimer;
import ntio.ddk.NtStatus;

/**
 * The dispatcher routines of one image's import table ({@code Ke}: IRQL, spin locks, the cancel
 * spin lock, DPCs, events and waits, {@code PAGED_CODE}): the part of {@link ImageImports} that
 * stands on {@link ntio.kernel.ke}. Kept apart so each file holds one concern.
 */
abstract class ImageKernelRoutines implements ImageServices {

  final IoManager io;
  final KernelDriverObject driver;

  ImageKernelRoutines(IoManager io, KernelDriverObject driver) {
    this.io = io;
    this.driver = driver;
  }

  // The image's gates and argument checks, which ImageImports keeps.

  /** The gate of a routine with no status to return ({@link ImageRundown#checkLoaded}). */
  abstract void checkLoaded(String routine);

  /** Runs a routine of the driver the kernel called back, through the {@link ImageRundown}. */
  abstract void runDriverCallback(String what, Runnable routine);

  /** The argument checks of this driver's calls. */
  abstract DriverArguments arguments();

  @Override
  public Irql getCurrentIrql() {
    return io.irqls.current();
  }

  @Override
  public Irql raiseIrql(Irql newIrql) {
    return io.irqls.raise(newIrql, driver.serviceName());
  }

  @Override
  public Irql raiseIrqlToDpcLevel() {
    return io.irqls.raise(Irql.DISPATCH_LEVEL, driver.serviceName());
  }

  @Override
  public void lowerIrql(Irql newIrql) {
    io.irqls.lower(newIrql, driver.serviceName());
  }

  @Override
  public KernelSpinLock initializeSpinLock() {
    throw new UnsupportedOperationException("KeInitializeSpinLock: issue 19, in progress");
  }

  @Override
  public Irql acquireCancelSpinLock() {
    throw new UnsupportedOperationException("IoAcquireCancelSpinLock: issue 19, in progress");
  }

  @Override
  public void releaseCancelSpinLock(Irql oldIrql) {
    throw new UnsupportedOperationException("IoReleaseCancelSpinLock: issue 19, in progress");
  }

  /**
   * {@inheritDoc}
   *
   * <p>The DPC runs on a processor's worker at DISPATCH_LEVEL ({@link ntio.kernel.ke.Processors}),
   * through this image's gate.
   */
  @Override
  public KernelDpc initializeDpc(DeferredRoutine routine) {
    checkLoaded("KeInitializeDpc");
    arguments().require(routine, "KeInitializeDpc", "deferred routine");
    return new ImageDpc(this, ImageResources.routineName(routine), resources().nextAddress(), routine);
  }

  /** {@inheritDoc} See {@link ntio.kernel.ke.Processors#flush} for the bug checks above PASSIVE_LEVEL. */
  @Override
  public void flushQueuedDpcs() {
    checkLoaded("KeFlushQueuedDpcs");
    io.processors.flush(driver.serviceName());
  }

  @Override
  public KernelEvent initializeEvent(boolean notification, boolean signalled) {
    throw new UnsupportedOperationException("KeInitializeEvent: issue 19, in progress");
  }

  @Override
  public NtStatus waitForSingleObject(DispatcherObject object, Duration timeout) {
    throw new UnsupportedOperationException("KeWaitForSingleObject: issue 19, in progress");
  }

  @Override
  public void pagedCode() {
    throw new UnsupportedOperationException("PAGED_CODE: issue 19, in progress");
  }

  @Override
  public KernelTimer initializeTimer() {
    checkLoaded("KeInitializeTimerEx");
    return new ImageTimer(this, null, resources().nextAddress());
  }

  @Override
  public KernelTimer initializeTimer(Runnable deferredRoutine) {
    checkLoaded("KeInitializeTimerEx");
    arguments().require(deferredRoutine, "KeInitializeDpc", "deferred routine");
    ImageDpc dpc = new ImageDpc(this, ImageResources.routineName(deferredRoutine),
        resources().nextAddress(), (self, first, second) -> deferredRoutine.run());
    return new ImageTimer(this, dpc, resources().nextAddress());
  }
}
