package ntio.outside;

import ntio.ddk.PoolType;
import ntio.kernel.executive.AllocationResult;
import ntio.kernel.executive.Pool;
import ntio.kernel.executive.PoolOwner;

/**
 * Calls the pool from a package that is neither the kernel's, the DDK's nor the framework's, as a
 * driver that is not an image (a host's own code) would.
 */
public final class OutsideCaller {

  private OutsideCaller() {}

  /** Allocates with the caller tracked, from this class's own frame. */
  public static AllocationResult allocateTracked(Pool pool, long size, int tag, PoolOwner owner) {
    return pool.allocateTracked(PoolType.PAGED, size, tag, owner, null);
  }
}
