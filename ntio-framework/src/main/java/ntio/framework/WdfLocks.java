package ntio.framework;

import java.time.Duration;
import ntio.ddk.Irql;
import ntio.ddk.NtStatus;
import ntio.framework.FxValidation.ParentRule;

/**
 * The framework's lock DDIs as one bound driver sees them: {@code wdfsync.h} (spin locks, wait
 * locks, {@code WdfObjectAcquireLock}). Reached through {@link Wdf#locks()}; each method is named
 * after its DDI without the {@code Wdf} prefix. Each checks its IRQL with the framework verifier on
 * (V-KMDF-10, {@link FxIrql}). Thread-safe.
 */
public final class WdfLocks {

  /** 0x10D P1: a lock operation on an object without a callback lock (V-KMDF-17). */
  static final int WDF_INVALID_LOCK_OPERATION = 0xB;

  private final FxGlobals globals;

  WdfLocks(FxGlobals globals) {
    this.globals = globals;
  }

  /**
   * Creates a spin lock. Models {@code WdfSpinLockCreate} (full); its parent defaults to the
   * WDFDRIVER.
   */
  public WdfResult<WdfSpinLock> spinLockCreate(WdfObjectAttributes attributes) {
    NtStatus valid = FxValidation.attributes(globals, attributes, WdfHandleType.WDFSPINLOCK, ParentRule.DEFAULT_DRIVER);
    if (!valid.isSuccess()) {
      return WdfResult.failed(valid);
    }
    FxPool.Allocation allocation = globals.allocate(FxGlobals.OBJECT_HEADER_SIZE, "WDFSPINLOCK");
    if (allocation == null) {
      return WdfResult.failed(NtStatus.STATUS_INSUFFICIENT_RESOURCES);
    }
    return Wdf.commit(new WdfSpinLock(globals, allocation, attributes), parentFor(attributes), false);
  }

  /** Raises to DISPATCH_LEVEL and takes the lock. Models {@code WdfSpinLockAcquire} (full). */
  public void spinLockAcquire(WdfSpinLock lock) {
    WdfSpinLock live = (WdfSpinLock) FxValidation.handle(globals, lock, WdfHandleType.WDFSPINLOCK, "WdfSpinLockAcquire");
    if (FxIrql.allows(globals, "WdfSpinLockAcquire")) {
      live.acquire();
    }
  }

  /** Releases the lock and lowers to the IRQL before the acquire. Models {@code WdfSpinLockRelease} (full). */
  public void spinLockRelease(WdfSpinLock lock) {
    ((WdfSpinLock) FxValidation.handle(globals, lock, WdfHandleType.WDFSPINLOCK, "WdfSpinLockRelease")).release();
  }

  /** Creates a wait lock. Models {@code WdfWaitLockCreate} (full); its parent defaults to the WDFDRIVER. */
  public WdfResult<WdfWaitLock> waitLockCreate(WdfObjectAttributes attributes) {
    NtStatus valid = FxValidation.attributes(globals, attributes, WdfHandleType.WDFWAITLOCK, ParentRule.DEFAULT_DRIVER);
    if (!valid.isSuccess()) {
      return WdfResult.failed(valid);
    }
    FxPool.Allocation allocation = globals.allocate(FxGlobals.OBJECT_HEADER_SIZE, "WDFWAITLOCK");
    if (allocation == null) {
      return WdfResult.failed(NtStatus.STATUS_INSUFFICIENT_RESOURCES);
    }
    return Wdf.commit(new WdfWaitLock(globals, allocation, attributes), parentFor(attributes), false);
  }

  /**
   * Takes a wait lock, waiting at most {@code timeout} (null: without limit). Models {@code
   * WdfWaitLockAcquire} (full): at PASSIVE_LEVEL, or at up to DISPATCH_LEVEL with a zero timeout
   * (a try).
   *
   * @return {@code STATUS_SUCCESS}; {@code STATUS_TIMEOUT}; {@code STATUS_INVALID_DEVICE_REQUEST}
   *     at too high an IRQL with the framework verifier on
   */
  public NtStatus waitLockAcquire(WdfWaitLock lock, Duration timeout) {
    WdfWaitLock live = (WdfWaitLock) FxValidation.handle(globals, lock, WdfHandleType.WDFWAITLOCK, "WdfWaitLockAcquire");
    boolean tryOnly = timeout != null && timeout.isZero();
    NtStatus irql = FxIrql.checkDdi(globals, "WdfWaitLockAcquire", tryOnly ? Irql.DISPATCH_LEVEL : Irql.PASSIVE_LEVEL);
    return irql.isSuccess() ? live.acquire(timeout) : irql;
  }

  /** Releases a wait lock. Models {@code WdfWaitLockRelease} (full). */
  public void waitLockRelease(WdfWaitLock lock) {
    ((WdfWaitLock) FxValidation.handle(globals, lock, WdfHandleType.WDFWAITLOCK, "WdfWaitLockRelease")).release();
  }

  /**
   * Takes the callback lock of a device or queue, so the driver's code is serialized with the
   * callbacks the framework runs under it. Models {@code WdfObjectAcquireLock} (full): a spin lock
   * raises to DISPATCH_LEVEL; a passive lock must be taken at PASSIVE_LEVEL (V-KMDF-10); an object
   * without a callback lock is 0x10D P1 = 0xB (V-KMDF-17).
   */
  public void objectAcquireLock(WdfObject object) {
    FxCallbackLock lock = callbackLock(object, "WdfObjectAcquireLock");
    if (FxIrql.checkDdi(globals, "WdfObjectAcquireLock", lock.passive() ? Irql.PASSIVE_LEVEL : Irql.DISPATCH_LEVEL)
        .isSuccess()) {
      lock.acquireForDriver();
    }
  }

  /** Releases what {@link #objectAcquireLock} took. Models {@code WdfObjectReleaseLock} (full). */
  public void objectReleaseLock(WdfObject object) {
    callbackLock(object, "WdfObjectReleaseLock").releaseForDriver();
  }

  private FxCallbackLock callbackLock(WdfObject object, String ddi) {
    WdfObject live = FxValidation.handle(globals, object, WdfHandleType.WDFOBJECT, ddi);
    FxCallbackLock lock = live.type() == WdfHandleType.WDFDRIVER ? null : live.callbackLock();
    if (lock == null) {
      throw globals.bugCheck(WDF_INVALID_LOCK_OPERATION, live.handle(), 0,
          ddi + ": " + live + " has no callback lock (only a WDFDEVICE or WDFQUEUE has one)");
    }
    return lock;
  }

  private WdfObject parentFor(WdfObjectAttributes attributes) {
    return attributes != null && attributes.parentObject() != null ? attributes.parentObject() : globals.driver();
  }
}
