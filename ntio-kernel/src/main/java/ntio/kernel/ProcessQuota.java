package ntio.kernel;

import java.util.Objects;
import ntio.ddk.NtStatus;
import ntio.ddk.PoolType;
import ntio.kernel.executive.QuotaBlock;

/**
 * A client process's pool quota, as the host charges it for the requests it holds on the
 * process's behalf: NT's {@code PsChargeProcessPoolQuota} and {@code PsReturnProcessPoolQuota}
 * (ps/quota.c). The charges are the process's own; the kernel's allocations for the process count
 * against the same limits.
 *
 * <p>Thread-safe: the quota block guards its counters.
 */
public final class ProcessQuota {

  private final QuotaBlock block;

  ProcessQuota(QuotaBlock block) {
    this.block = Objects.requireNonNull(block, "block");
  }

  /**
   * Charges {@code bytes} of {@code type} pool.
   *
   * @return {@code STATUS_SUCCESS}, or {@code STATUS_QUOTA_EXCEEDED} with nothing charged
   */
  public NtStatus charge(PoolType type, long bytes) {
    return block.charge(type, bytes);
  }

  /** Returns {@code bytes} of {@code type} pool charged before. */
  public void release(PoolType type, long bytes) {
    block.release(type, bytes);
  }

  /** The bytes of {@code type} pool charged now. */
  public long usage(PoolType type) {
    return block.usage(type);
  }

  /** The most bytes of {@code type} pool that may be charged. */
  public long limit(PoolType type) {
    return block.limit(type);
  }
}
