package ntio.framework;

import ntio.ddk.Irql;
import ntio.ddk.KernelSpinLock;

/**
 * {@code WDFSPINLOCK}: a spin lock with a framework lifetime. Models {@code FxSpinLock} (partial:
 * no lock-order verification): a kernel spin lock ({@code KeInitializeSpinLock}, made on first
 * acquire), and the IRQL its holder had before the acquire, which {@code WdfSpinLockRelease} gives
 * back. Acquiring raises to DISPATCH_LEVEL; the kernel stops a recursive acquire (0x0F) and a
 * release by a thread that does not hold it (0x10).
 */
public final class WdfSpinLock extends WdfObject {

  private KernelSpinLock lock;
  /** The holder's IRQL before its acquire; written and read only by the holder. */
  private volatile Irql oldIrql;

  WdfSpinLock(FxGlobals globals, FxPool.Allocation allocation, WdfObjectAttributes attributes) {
    super(globals, WdfHandleType.WDFSPINLOCK, allocation, attributes);
  }

  private synchronized KernelSpinLock lock() {
    if (lock == null) {
      lock = globals.services.initializeSpinLock();
    }
    return lock;
  }

  void acquire() {
    Irql old = lock().acquire();
    oldIrql = old;
  }

  void release() {
    Irql old = oldIrql;
    lock().release(old == null ? Irql.PASSIVE_LEVEL : old);
  }
}
