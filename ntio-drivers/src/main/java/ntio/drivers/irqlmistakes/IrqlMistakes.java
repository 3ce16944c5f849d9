package ntio.drivers.irqlmistakes;

import java.time.Duration;
import ntio.ddk.AccessMask;
import ntio.ddk.DeviceObject;
import ntio.ddk.IoControlCodes;
import ntio.ddk.Irp;
import ntio.ddk.Irql;
import ntio.ddk.KernelEvent;
import ntio.ddk.KernelServices;
import ntio.ddk.KernelServices.PoolResult;
import ntio.ddk.KernelSpinLock;
import ntio.ddk.NtStatus;
import ntio.ddk.PoolBlock;
import ntio.ddk.PoolTag;
import ntio.ddk.PoolType;
import ntio.ddk.UnicodeString;

/**
 * The mistakes themselves, one method per control code of {@link IrqlMistakesIoctl}.
 *
 * <p><strong>Every method here is wrong on purpose.</strong> The line that breaks the rule ends
 * with a {@code // mistake:} comment naming the method: that is the line the bug check's message
 * names ({@code (at image:IrqlMistakes.jar//...IrqlMistakes.<method>(IrqlMistakes.java:<line>))}),
 * and what the learner reads next to docs/irql.md. Each method says in its Javadoc what the
 * correct driver does instead.
 *
 * <p>Each runs on the thread that sent the control code, at PASSIVE_LEVEL in the dispatch routine;
 * none returns normally when the kernel catches the mistake (the bug check halts the kernel).
 */
final class IrqlMistakes {

  /** The tag of the pool the mistakes allocate: {@code 'Irql'}. */
  static final int TAG = PoolTag.of("Irql");

  /** The driver's own service key, which the registry mistake opens. */
  private static final UnicodeString SERVICE_KEY =
      UnicodeString.of("\\Registry\\Machine\\System\\CurrentControlSet\\Services\\IrqlMistakes");

  private final KernelServices services;
  /** The driver's one spin lock, taken by the mistakes that need one; made on first use. */
  private KernelSpinLock spinLock;

  IrqlMistakes(KernelServices services) {
    this.services = services;
  }

  /**
   * The spin lock, initialized the first time a mistake needs it, so that the mistakes that need
   * none run on a kernel whatever it implements.
   */
  private synchronized KernelSpinLock lock() {
    if (spinLock == null) {
      spinLock = services.initializeSpinLock();
    }
    return spinLock;
  }

  /**
   * Raises to DISPATCH_LEVEL, then calls KeRaiseIrql with PASSIVE_LEVEL: a raise that would lower.
   * Bug check 0x9 {@code IRQL_NOT_GREATER_OR_EQUAL}. Correct: lower with {@code lowerIrql(old)}.
   */
  void raiseBelow() {
    Irql old = services.raiseIrql(Irql.DISPATCH_LEVEL);
    services.raiseIrql(Irql.PASSIVE_LEVEL); // mistake: raiseBelow
    services.lowerIrql(old);
  }

  /**
   * Calls KeLowerIrql with DISPATCH_LEVEL at PASSIVE_LEVEL: a lower that would raise. Bug check 0xA
   * {@code IRQL_NOT_LESS_OR_EQUAL}. Correct: lower only to the level a raise returned.
   */
  void lowerAbove() {
    services.lowerIrql(Irql.DISPATCH_LEVEL); // mistake: lowerAbove
  }

  /**
   * Waits 10 ms for an event at DISPATCH_LEVEL, where no thread may block. Bug check 0xA {@code
   * IRQL_NOT_LESS_OR_EQUAL}. Correct: wait below DISPATCH_LEVEL, or only poll ({@code
   * Duration.ZERO}) there, or finish the work in a DPC or a work item.
   */
  void waitAtDispatch() {
    KernelEvent event = services.initializeEvent(true, false);
    Irql old = services.raiseIrql(Irql.DISPATCH_LEVEL);
    services.waitForSingleObject(event, Duration.ofMillis(10)); // mistake: waitAtDispatch
    services.lowerIrql(old);
  }

  /**
   * Allocates paged pool holding a spin lock (at DISPATCH_LEVEL). Bug check 0xC2 {@code
   * BAD_POOL_CALLER} (P1 0x8); 0xC4 (P1 0x1) with the verifier's IRQL checking. Correct: allocate
   * before taking the lock, or from non-paged pool.
   */
  void pagedAllocationUnderSpinLock() {
    KernelSpinLock lock = lock();
    Irql old = lock.acquire();
    PoolResult allocated = services.allocatePoolWithTag(PoolType.PAGED, 64, TAG); // mistake: pagedAllocationUnderSpinLock
    lock.release(old);
    if (allocated.status().isSuccess()) {
      services.freePoolWithTag(allocated.block(), TAG);
    }
  }

  /**
   * Reads paged pool at DISPATCH_LEVEL (as a DPC routine, or code holding a spin lock, would): the
   * page may be out, and no page fault can be served at DISPATCH_LEVEL. Without the verifier the
   * page is resident and the read works, as on Windows until the day it is not; with the
   * verifier's IRQL checking (which pages pageable memory out at every raise) it always faults, as
   * {@code DRIVER_IRQL_NOT_LESS_OR_EQUAL} (0xD1). Correct: keep data used at DISPATCH_LEVEL in
   * non-paged pool.
   */
  void pagedDataAtDispatch() {
    PoolResult allocated = services.allocatePoolWithTag(PoolType.PAGED, 64, TAG);
    if (!allocated.status().isSuccess()) {
      return;
    }
    PoolBlock paged = allocated.block();
    paged.fill((byte) 0);
    Irql old = services.raiseIrqlToDpcLevel();
    paged.getByte(0); // mistake: pagedDataAtDispatch
    services.lowerIrql(old);
    services.freePoolWithTag(paged, TAG);
  }

  /**
   * Runs code marked pageable ({@code PAGED_CODE()}) at DISPATCH_LEVEL. Without the verifier
   * nothing happens (a free build's {@code PAGED_CODE()} is empty and the page is resident); with
   * its IRQL checking, bug check 0xD1 {@code DRIVER_IRQL_NOT_LESS_OR_EQUAL}. Correct: code that runs
   * at DISPATCH_LEVEL is never pageable.
   */
  void pagedCodeAtDispatch() {
    Irql old = services.raiseIrql(Irql.DISPATCH_LEVEL);
    pageableRoutine();
    services.lowerIrql(old);
  }

  /** A routine in a pageable section, as {@code #pragma alloc_text(PAGE, ...)} puts one. */
  private void pageableRoutine() {
    services.pagedCode(); // mistake: pagedCodeAtDispatch
  }

  /**
   * Releases the spin lock a second time. Bug check 0x10 {@code SPIN_LOCK_NOT_OWNED}. Correct: one
   * release per acquire, on every path.
   */
  void releaseSpinLockTwice() {
    KernelSpinLock lock = lock();
    Irql old = lock.acquire();
    lock.release(old);
    lock.release(old); // mistake: releaseSpinLockTwice
  }

  /**
   * Pends {@code irp} with a cancel routine that completes it but forgets to release the cancel
   * spin lock it was called holding: the thread that cancelled is left at DISPATCH_LEVEL, and its
   * return to user mode is bug check 0x4A {@code IRQL_GT_ZERO_AT_SYSTEM_SERVICE}. Correct: release
   * it first thing, with {@code releaseCancelSpinLock(irp.cancelIrql())}.
   *
   * @return {@code STATUS_PENDING}, or {@code STATUS_CANCELLED} when the request was cancelled
   *     before its routine was set (then completed here)
   */
  NtStatus keepCancelSpinLock(Irp irp) {
    irp.markPending();
    irp.setCancelRoutine(IrqlMistakes::cancelKeepingTheLock);
    if (irp.isCancelled() && irp.setCancelRoutine(null) != null) {
      irp.ioStatus().setStatus(NtStatus.STATUS_CANCELLED);
      irp.ioStatus().setInformation(0);
      services.completeRequest(irp, IoControlCodes.IO_NO_INCREMENT);
    }
    return NtStatus.STATUS_PENDING;
  }

  private static void cancelKeepingTheLock(DeviceObject device, Irp irp) {
    // mistake: keepCancelSpinLock (the releaseCancelSpinLock(irp.cancelIrql()) that belongs here)
    irp.ioStatus().setStatus(NtStatus.STATUS_CANCELLED);
    irp.ioStatus().setInformation(0);
    device.driverObject().services().completeRequest(irp, IoControlCodes.IO_NO_INCREMENT);
  }

  /**
   * Opens a registry key holding a spin lock: registry routines run only at PASSIVE_LEVEL, since the
   * registry is pageable and they may wait. Correct: read the registry before taking the lock (in
   * DriverEntry, say) and keep what is needed in non-paged memory.
   */
  void registryUnderSpinLock() {
    KernelSpinLock lock = lock();
    Irql old = lock.acquire();
    var opened = services.openKey(SERVICE_KEY, AccessMask.KEY_READ); // mistake: registryUnderSpinLock
    lock.release(old);
    if (opened.status().isSuccess()) {
      services.close(opened.handle());
    }
  }

  /**
   * Queues a work item that raises to DISPATCH_LEVEL and returns without lowering. The worker
   * thread finds itself raised when the item returns: bug check 0xE1 {@code
   * WORKER_THREAD_RETURNED_AT_BAD_IRQL}, on the worker, after this request completed. Correct: a
   * work item lowers what it raised before it returns.
   */
  NtStatus workItemReturnsRaised(DeviceObject device) {
    return services.queueWorkItem(device, () -> {
      services.raiseIrql(Irql.DISPATCH_LEVEL); // mistake: workItemReturnsRaised
    });
  }
}
