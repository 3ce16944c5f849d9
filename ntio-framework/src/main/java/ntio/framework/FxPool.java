package ntio.framework;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ntio.ddk.KernelServices;
import ntio.ddk.KernelServices.PoolResult;
import ntio.ddk.PoolBlock;
import ntio.ddk.PoolTag;
import ntio.ddk.PoolType;

/**
 * The framework's pool for one driver: every allocation the framework makes on the driver's behalf
 * (object headers, contexts, memory buffers, device inits). Models {@code FxPoolAllocate} / {@code
 * FxPoolFree} and the framework pool tracker of {@code wdfpool.cpp} (S12, partial: one pool, no
 * lookaside lists).
 *
 * <p>Each allocation is real kernel pool, taken through the driver's own {@link KernelServices}
 * with the driver's pool tag (or the tag a {@code WdfMemoryCreate} caller gave): it is charged to
 * the driver, Driver Verifier's pool tracking and fault injection see it, and a framework leak is
 * also a leak Driver Verifier reports when the image is unmapped.
 *
 * <p>With the framework verifier on, {@code VerifierAllocateFailCount} n makes every allocation
 * after the n-th fail (V-KMDF-11), and {@link #leaks()} lists what is left at teardown (V-KMDF-09).
 * Thread-safe; the lock is this object's monitor, never held while calling out except into pool.
 */
final class FxPool {

  /** One framework allocation. */
  static final class Allocation {
    final PoolBlock block;
    final int tag;
    final String what;

    Allocation(PoolBlock block, int tag, String what) {
      this.block = block;
      this.tag = tag;
      this.what = what;
    }

    long address() {
      return block.address();
    }

    @Override
    public String toString() {
      return String.format("0x%016X %d bytes tag %s: %s", block.address(), block.size(),
          PoolTag.describe(tag), what);
    }
  }

  private final KernelServices services;
  private final long failAfter;

  @GuardedBy("this")
  private long counted;

  @GuardedBy("this")
  private final Map<PoolBlock, Allocation> live = new LinkedHashMap<>();

  /**
   * @param failAfter allocations that succeed before every later one fails; negative for never
   */
  FxPool(KernelServices services, long failAfter) {
    this.services = services;
    this.failAfter = failAfter;
  }

  /**
   * Allocates {@code size} bytes of {@code type} pool tagged {@code tag}.
   *
   * @param counted whether the allocation counts toward {@code VerifierAllocateFailCount}: every
   *     allocation does except the WDFDRIVER's own (see docs/framework.md)
   * @return the allocation, or null when it failed: the fail count was used up, or the kernel's
   *     pool (or Driver Verifier's fault injection) refused it
   */
  Allocation allocate(PoolType type, long size, int tag, String what, boolean counted) {
    if (counted && failAfter >= 0) {
      synchronized (this) {
        this.counted++;
        if (this.counted > failAfter) {
          return null;
        }
      }
    }
    PoolResult result = services.allocatePoolWithTag(type, size, tag);
    if (!result.status().isSuccess() || result.block() == null) {
      return null;
    }
    Allocation allocation = new Allocation(result.block(), tag, what);
    synchronized (this) {
      live.put(result.block(), allocation);
    }
    return allocation;
  }

  /** Frees an allocation made here. */
  void free(Allocation allocation) {
    synchronized (this) {
      if (live.remove(allocation.block) == null) {
        throw new IllegalStateException("framework allocation freed twice: " + allocation);
      }
    }
    services.freePoolWithTag(allocation.block, allocation.tag);
  }

  /** Allocations not freed, oldest first. */
  synchronized List<Allocation> leaks() {
    return new ArrayList<>(live.values());
  }

  /** How many allocations are live. */
  synchronized int liveCount() {
    return live.size();
  }
}
