package ntio.kernel.executive;

import ntio.ddk.PoolType;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import ntio.ddk.NtStatus;

/**
 * One process's pool quota: {@code EPROCESS_QUOTA_BLOCK}, with a limit, the current usage and the
 * peak usage for paged and for non-paged pool ({@link PoolType#NON_PAGED_NX} counts as non-paged).
 *
 * <p>Thread-safe and lock-free.
 */
public final class QuotaBlock {

  private final String name;
  private final long pagedLimit;
  private final long nonPagedLimit;
  private final AtomicLong pagedUsage = new AtomicLong();
  private final AtomicLong nonPagedUsage = new AtomicLong();
  private final AtomicLong pagedPeak = new AtomicLong();
  private final AtomicLong nonPagedPeak = new AtomicLong();

  /**
   * A quota block for the process {@code name} (used in messages) with these limits in bytes.
   *
   * <p>Models {@code EPROCESS_QUOTA_BLOCK} as {@code PspInitializeProcessQuota} sets it up
   * (partial: fixed limits, no quota expansion).
   *
   * @throws IllegalArgumentException if a limit is negative
   */
  public QuotaBlock(String name, long pagedLimit, long nonPagedLimit) {
    this.name = Objects.requireNonNull(name, "name");
    if (pagedLimit < 0 || nonPagedLimit < 0) {
      throw new IllegalArgumentException(
          "negative quota limit for "
              + name
              + ": paged "
              + pagedLimit
              + ", non-paged "
              + nonPagedLimit);
    }
    this.pagedLimit = pagedLimit;
    this.nonPagedLimit = nonPagedLimit;
  }

  /** The process this block belongs to. Models the block's owning {@code EPROCESS} (partial). */
  public String name() {
    return name;
  }

  /**
   * The limit, in bytes, of the pool {@code type} is charged to.
   *
   * <p>Models {@code QuotaEntry[type].Limit} (full).
   */
  public long limit(PoolType type) {
    return type.isPaged() ? pagedLimit : nonPagedLimit;
  }

  /** Bytes charged now to that pool. Models {@code QuotaEntry[type].Usage} (full). */
  public long usage(PoolType type) {
    return usageOf(type).get();
  }

  /** The most bytes ever charged at once to that pool. Models {@code QuotaPeak} (full). */
  public long peak(PoolType type) {
    return (type.isPaged() ? pagedPeak : nonPagedPeak).get();
  }

  /**
   * Charges {@code bytes} of {@code type} pool to this process if that stays within its limit.
   *
   * <p>Models {@code PsChargeProcessPoolQuota} (full).
   *
   * @return {@code STATUS_SUCCESS}, or {@code STATUS_QUOTA_EXCEEDED} (nothing charged)
   * @throws IllegalArgumentException if {@code bytes} is negative
   */
  @CanIgnoreReturnValue
  public NtStatus charge(PoolType type, long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("negative quota charge " + bytes + " for " + name);
    }
    AtomicLong usage = usageOf(type);
    long limit = limit(type);
    while (true) {
      long current = usage.get();
      if (bytes > limit - current) {
        return NtStatus.STATUS_QUOTA_EXCEEDED;
      }
      if (usage.compareAndSet(current, current + bytes)) {
        (type.isPaged() ? pagedPeak : nonPagedPeak).accumulateAndGet(current + bytes, Math::max);
        return NtStatus.STATUS_SUCCESS;
      }
    }
  }

  /**
   * Returns {@code bytes} of {@code type} pool charged earlier.
   *
   * <p>Models {@code PsReturnProcessPoolQuota} (full).
   *
   * @throws IllegalStateException if more is returned than is charged: an ntio bug
   */
  public void release(PoolType type, long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("negative quota release " + bytes + " for " + name);
    }
    long after = usageOf(type).addAndGet(-bytes);
    if (after < 0) {
      usageOf(type).addAndGet(bytes);
      throw new IllegalStateException(
          "quota of "
              + name
              + " returned "
              + bytes
              + " bytes of "
              + type
              + " with only "
              + (after + bytes)
              + " charged");
    }
  }

  private AtomicLong usageOf(PoolType type) {
    return type.isPaged() ? pagedUsage : nonPagedUsage;
  }

  @Override
  public String toString() {
    return "QuotaBlock["
        + name
        + ", paged "
        + pagedUsage.get()
        + "/"
        + pagedLimit
        + ", non-paged "
        + nonPagedUsage.get()
        + "/"
        + nonPagedLimit
        + "]";
  }
}
