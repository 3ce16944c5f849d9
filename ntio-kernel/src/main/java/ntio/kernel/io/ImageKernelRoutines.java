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
import ntio.kernel.ke.Waitable;

/**
 * The dispatcher routines of one image's import table ({@code Ke}: IRQL, spin locks, the cancel
 * spin lock, DPCs, events and waits, {@code PAGED_CODE}): the part of {@link ImageImports} that
 * stands on {@link ntio.kernel.ke}. Kept apart so each file holds one concern.
 */
abstract class ImageKernelRoutines implements ImageServices {

  final IoManager io;
  final KernelDriverObject driver;
  /** The IRQL rules of this image's calls. */
  final ImageIrqlRules irqlRules;

  /** Made on first use: {@link #verified()} is known only once the subclass is constructed. */
  private volatile KeCaller caller;

  ImageKernelRoutines(IoManager io, KernelDriverObject driver) {
    this.io = io;
    this.driver = driver;
    this.irqlRules = new ImageIrqlRules(io, this);
  }

  /** The image's gate for a routine with no status to return ({@link ImageRundown#checkLoaded}). */
  abstract void checkLoaded(String routine);

  /** The image's gate for a routine that returns a status ({@link ImageRundown#enter}). */
  abstract boolean enter(String routine);

  /**
   * The gate of a routine that runs only at PASSIVE_LEVEL, then its IRQL rule ({@link
   * ImageIrqlRules#requirePassive}): the one check at the top of each such routine.
   */
  final boolean enterAtPassive(String routine) {
    boolean entered = enter(routine);
    if (entered) {
      irqlRules.requirePassive(routine);
    }
    return entered;
  }

  /** {@link #enterAtPassive} for a routine with no status to return. */
  final void checkLoadedAtPassive(String routine) {
    checkLoaded(routine);
    irqlRules.requirePassive(routine);
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
    checkLoaded("KeInitializeEvent");
    return new ImageEvent(this, notification, signalled, resources().nextAddress());
  }

  /**
   * {@inheritDoc}
   *
   * <p>The IRQL rules are {@link ImageIrqlRules#await}'s.
   *
   * @implNote An object that is no dispatcher object of this kernel (not an event or a timer it
   *     made) gives {@code STATUS_INVALID_PARAMETER}: {@code KeWaitForSingleObject} trusts its
   *     pointer and would crash on a bad one; {@code NtWaitForSingleObject}'s answer for a handle
   *     to an object that cannot be waited on is {@code STATUS_OBJECT_TYPE_MISMATCH}, and ntio's
   *     kernel-mode call has no handle.
   */
  @Override
  public NtStatus waitForSingleObject(DispatcherObject object, Duration timeout) {
    if (!enter("KeWaitForSingleObject")) {
      return NtStatus.STATUS_SYSTEM_SHUTDOWN;
    }
    if (!(object instanceof Waitable waitable)
        || (object instanceof ImageEvent event && !event.belongsTo(io))) {
      return NtStatus.STATUS_INVALID_PARAMETER;
    }
    long address = object instanceof ImageEvent event ? event.address() : 0;
    return irqlRules.await(waitable.dispatcherEvent(), address, timeout);
  }

  /** {@inheritDoc} The rule is {@link ImageIrqlRules#pagedCode}'s. */
  @Override
  public void pagedCode() {
    irqlRules.pagedCode();
  }

  @Override
  public KernelTimer initializeTimer() {
    throw new UnsupportedOperationException("KeInitializeTimerEx: issue 19, in progress");
  }
}
