package ntio.conformance.reactos;

import java.util.ArrayList;
import java.util.List;
import ntio.conformance.kernel.KernelOk;
import ntio.ddk.DriverObject;

/**
 * Kernel checks held in memory until the driver is back at PASSIVE_LEVEL. The ntos_ke ports make
 * their checks at every IRQL up to HIGH_LEVEL and in DPC routines, where the registry channel of
 * {@link KernelOk} may not be called (registry routines are PASSIVE_LEVEL only, on NT and in ntio);
 * they record here and {@link #flushTo} writes every check, in order, once at PASSIVE_LEVEL.
 *
 * <p>Thread-safe: a DPC routine records from a DPC worker while the test's thread records too.
 * Packed into the driver images; holds no static state.
 */
final class KmtBuffer {

  /** The checks recorded so far, each its text and whether it passed; guarded by {@code this}. */
  private final List<Object[]> recorded = new ArrayList<>();

  /** A {@link KmtChecks} recording here. */
  KmtChecks checks() {
    return new KmtChecks(this::record);
  }

  private synchronized void record(String check, String failure) {
    recorded.add(new Object[] {KmtChecks.text(check, failure), failure == null});
  }

  /** Writes every check recorded so far to {@code suite}, in order. Call at PASSIVE_LEVEL. */
  void flushTo(DriverObject driver, String suite) {
    List<Object[]> copy;
    synchronized (this) {
      copy = List.copyOf(recorded);
      recorded.clear();
    }
    KernelOk ok = KernelOk.begin(driver.services(), suite);
    for (Object[] check : copy) {
      ok.ok((Boolean) check[1], "%s", check[0]);
    }
  }
}
