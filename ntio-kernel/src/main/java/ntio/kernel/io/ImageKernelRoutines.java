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
import ntio.kernel.ke.KeCaller;

/**
 * The dispatcher routines of one image's import table ({@code Ke}: IRQL, spin locks, the cancel
 * spin lock, DPCs, events and waits, {@code PAGED_CODE}): the part of {@link ImageImports} that
 * stands on {@link ntio.kernel.ke}. Kept apart so each file holds one concern.
 */
abstract class ImageKernelRoutines implements ImageServices {

  final IoManager io;
  final KernelDriverObject driver;

  /** Made on first use: {@link #verified()} is known only once the subclass is constructed. */
  private volatile KeCaller caller;

  ImageKernelRoutines(IoManager io, KernelDriverObject driver) {
    this.io = io;
    this.driver = driver;
  }

  /**
   * This image as the dispatcher routines see their caller: its driver, and whether the verifier's
   * IRQL checking (0x2) is on for it, so that the verifier's subcodes replace the kernel's codes.
   */
  final KeCaller keCaller() {
    KeCaller known = caller;
    if (known == null) {
      ntio.kernel.verifier.VerifiedImage verified = verified();
      known = new KeCaller(driver.serviceName(), verified != null && verified.checksIrql());
      caller = known; // the same value whichever thread makes it first
    }
    return known;
  }

  @Override
  public Irql getCurrentIrql() {
    return io.irqls.current();
  }

  @Override
  public Irql raiseIrql(Irql newIrql) {
    return io.irqls.raise(newIrql, keCaller());
  }

  @Override
  public Irql raiseIrqlToDpcLevel() {
    return io.irqls.raise(Irql.DISPATCH_LEVEL, keCaller());
  }

  @Override
  public void lowerIrql(Irql newIrql) {
    io.irqls.lower(newIrql, keCaller());
  }

  /** {@inheritDoc} The lock's routines check as this image's import table does ({@link ntio.kernel.ke.SpinLocks}). */
  @Override
  public KernelSpinLock initializeSpinLock() {
    return io.spinLocks.newLock(keCaller());
  }

  /** {@inheritDoc} Models ReactOS's {@code IoAcquireCancelSpinLock} ({@code ntoskrnl/io/iomgr/irp.c}). */
  @Override
  public Irql acquireCancelSpinLock() {
    return io.spinLocks.acquireCancel(keCaller());
  }

  /**
   * {@inheritDoc} With the verifier's IRQL checking on, a release not at DISPATCH_LEVEL is
   * 0xC4/0x35 (the kernel releasing a spin lock at the wrong IRQL); a release by a thread that
   * does not hold it {@code SPIN_LOCK_NOT_OWNED} (0x10).
   */
  @Override
  public void releaseCancelSpinLock(Irql oldIrql) {
    io.spinLocks.releaseCancel(oldIrql, keCaller());
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
