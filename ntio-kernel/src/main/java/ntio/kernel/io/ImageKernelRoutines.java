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

  @Override
  public KernelDpc initializeDpc(DeferredRoutine routine) {
    throw new UnsupportedOperationException("KeInitializeDpc: issue 19, in progress");
  }

  @Override
  public void flushQueuedDpcs() {
    throw new UnsupportedOperationException("KeFlushQueuedDpcs: issue 19, in progress");
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
    throw new UnsupportedOperationException("KeInitializeTimerEx: issue 19, in progress");
  }
}
