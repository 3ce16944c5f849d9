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
