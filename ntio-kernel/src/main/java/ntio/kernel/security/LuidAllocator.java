package ntio.kernel.security;

import java.util.concurrent.atomic.AtomicLong;
import ntio.api.Luid;

/**
 * Hands out the LUIDs of one kernel. Models {@code ExAllocateLocallyUniqueId} and {@code
 * NtAllocateLocallyUniqueId} (full). Thread-safe and lock-free. Each kernel owns one allocator, so
 * two kernels in one JVM may hand out the same values — as two machines do.
 *
 * @implNote NT seeds its counter with {@link Luid#SYSTEM_LUID} and increments before returning, so
 *     the first LUID a kernel hands out is {@code 0x3E8}, above every reserved logon-session LUID.
 *     So does this allocator.
 */
public final class LuidAllocator {

  private final AtomicLong last = new AtomicLong(Luid.SYSTEM_LUID.value());

  /** A new allocator whose first LUID is {@code 0x0:0x3E8}. */
  public LuidAllocator() {}

  /**
   * The next LUID; never the same twice for this allocator. Models {@code
   * ExAllocateLocallyUniqueId} (full).
   */
  public Luid allocate() {
    return new Luid(last.incrementAndGet());
  }
}
