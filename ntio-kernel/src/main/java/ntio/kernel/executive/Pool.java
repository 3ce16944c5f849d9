package ntio.kernel.executive;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import ntio.api.OwnerUsage;
import ntio.api.TagUsage;
import ntio.ddk.NtStatus;
import ntio.ddk.PoolTag;
import ntio.ddk.PoolType;

/**
 * The executive pool of one kernel instance: {@code ExAllocatePoolWithTag}, {@code
 * ExAllocatePoolWithQuotaTag} and {@code ExFreePoolWithTag}, with poolmon's usage by tag and by
 * owner.
 *
 * <p>Each allocation is a {@link PoolAllocation}: a checked handle over its own bytes at a fake,
 * unique, 16-byte aligned kernel address. Misuse is caught and raised as NT raises it, through the
 * kernel's {@link BugChecks}: a double free is {@code BAD_POOL_CALLER} (0xC2) with parameter 1
 * {@code 0x07}; a free with the wrong tag is 0xC2 with parameter 1 {@code 0x0A}; a use after free
 * or out of bounds is {@code PAGE_FAULT_IN_NONPAGED_AREA} (0x50).
 *
 * <p>Thread-safe, and built so that allocate and free take no lock: live blocks sit in a concurrent
 * map, counters are {@link java.util.concurrent.atomic.LongAdder}s, the limits are enforced with
 * compare-and-set.
 */
public final class Pool {

  /*
   * Implementation notes:
   *
   * Addresses come from a bump pointer and are never reused, so an address identifies one block
   * for the pool's whole life and a stale handle can never alias a newer block. Each block gets a
   * 16-byte header slot before it (nothing is stored there; it keeps neighbours apart, as NT's
   * POOL_HEADER does) and is rounded up to 16 bytes. The range above the base is far larger than
   * anything a JVM can allocate in its lifetime, but running out is still answered with
   * STATUS_INSUFFICIENT_RESOURCES, not by wrapping.
   *
   * Usage against the limits is charged with the requested size; so are the quota and the
   * statistics.
   */

  /** Where pool addresses start (the first block is one header above it). */
  public static final long ADDRESS_BASE = 0xFFFFA000_00000000L;

  /** Block alignment and header size, as on x64. */
  static final int GRANULARITY = 16;

  /** How far above {@link #ADDRESS_BASE} addresses may go: up to the top of the address space. */
  private static final long ADDRESS_SPACE = -ADDRESS_BASE;

  /** The largest block one Java array can back. */
  static final long MAXIMUM_ALLOCATION = Integer.MAX_VALUE - 8;

  /** BAD_POOL_CALLER parameter 1: the pool was already freed. */
  static final long BAD_POOL_CALLER_ALREADY_FREED = 0x07;

  /** BAD_POOL_CALLER parameter 1: freed with a tag other than the allocator's. */
  static final long BAD_POOL_CALLER_WRONG_TAG = 0x0A;

  private final BugChecks bugChecks;
  private final AtomicLong nextOffset = new AtomicLong();
  private final AtomicLong pagedUsed = new AtomicLong();
  private final AtomicLong nonPagedUsed = new AtomicLong();
  private volatile long pagedLimit = Long.MAX_VALUE;
  private volatile long nonPagedLimit = Long.MAX_VALUE;
  private volatile boolean trackStacks;

  private final ConcurrentHashMap<Long, PoolAllocation> live = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<TagKey, UsageCounters> byTag = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<OwnerKey, UsageCounters> byOwner = new ConcurrentHashMap<>();

  private record TagKey(int tag, PoolType type) {}

  private record OwnerKey(String owner, PoolType type) {}

  /**
   * An empty pool with no limits that raises its bug checks through {@code bugChecks}.
   *
   * <p>Models {@code InitializePool} (partial: one descriptor per pool type, no lookaside lists).
   */
  public Pool(BugChecks bugChecks) {
    this.bugChecks = Objects.requireNonNull(bugChecks, "bugChecks");
  }

  /**
   * Sets the most bytes that may be allocated at once from the pool {@code type} draws from; past
   * it, allocations fail with {@code STATUS_INSUFFICIENT_RESOURCES}. Lowering it below the current
   * usage frees nothing; it only refuses new allocations.
   *
   * <p>Models the nonpaged and paged pool maximums ({@code MmMaximumNonPagedPoolInBytes}, {@code
   * MmSizeOfPagedPoolInBytes}) (partial: a plain byte budget).
   *
   * @throws IllegalArgumentException if {@code bytes} is negative, or for {@link
   *     PoolType#NON_PAGED_NX}, which shares the {@link PoolType#NON_PAGED} limit
   */
  public void setLimit(PoolType type, long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("negative pool limit " + bytes + " for " + type);
    }
    switch (type) {
      case PAGED -> pagedLimit = bytes;
      case NON_PAGED -> nonPagedLimit = bytes;
      case NON_PAGED_NX ->
          throw new IllegalArgumentException(
              "NON_PAGED_NX draws from the non-paged pool: set the NON_PAGED limit");
    }
  }

  /**
   * The limit of the pool {@code type} draws from, in bytes ({@code Long.MAX_VALUE}: none).
   *
   * <p>Models reading the pool maximum (full).
   */
  public long limit(PoolType type) {
    return type.isPaged() ? pagedLimit : nonPagedLimit;
  }

  /**
   * Bytes allocated now from the pool {@code type} draws from (NX counts as non-paged).
   *
   * <p>Models the pool usage counters of {@code SystemPerformanceInformation} (full).
   */
  public long used(PoolType type) {
    return usedOf(type).get();
  }

  /**
   * Whether every new allocation records the Java stack that made them, whoever allocates: a
   * debugging aid that costs a stack capture per allocation. The verifier's pool tracking records
   * one image's calling sites instead ({@link #allocateTracked}).
   *
   * <p>Models a kernel stack trace database such as gflags' {@code +kst} (partial: a Java stack
   * instead of return addresses).
   */
  public void setTrackStacks(boolean trackStacks) {
    this.trackStacks = trackStacks;
  }

  /** Whether new allocations record their stack. Models reading the tracking switch (full). */
  public boolean tracksStacks() {
    return trackStacks;
  }

  /**
   * Allocates {@code size} bytes of {@code type} pool tagged {@code tag}, charged to {@code owner}.
   *
   * <p>Models {@code ExAllocatePoolWithTag} (full).
   *
   * @implNote NT returns NULL where ntio returns a failed status. A zero tag is refused with {@code
   *     STATUS_INVALID_PARAMETER}; under Driver Verifier NT bug-checks 0xC2 with parameter 1 {@code
   *     0x9B} instead, which the verifier adds on top. A size of zero or less is refused with
   *     {@code STATUS_INVALID_PARAMETER} too, where NT (depending on version and verifier) returns
   *     a block or bug-checks 0xC2/0x00 or 0xC4/0x00.
   * @return {@code STATUS_SUCCESS} and the block; or {@code STATUS_INVALID_PARAMETER} (zero tag,
   *     size not positive), or {@code STATUS_INSUFFICIENT_RESOURCES} (over the pool's limit, or
   *     larger than one Java array can hold) with no block
   */
  public AllocationResult allocate(PoolType type, long size, int tag, PoolOwner owner) {
    return allocateUncharged(type, size, tag, owner, false, null);
  }

  /**
   * {@link #allocate(PoolType, long, int, PoolOwner)} with the block's calling site recorded
   * ({@link PoolAllocation#allocationSite()}), whatever {@link #tracksStacks()} says: the
   * verifier's pool tracking for one image.
   *
   * @param callingSite the site a thunked call names itself; null to capture the allocating stack
   *     and find the site in it
   */
  public AllocationResult allocateTracked(PoolType type, long size, int tag, PoolOwner owner,
      String callingSite) {
    return allocateUncharged(type, size, tag, owner, callingSite == null, callingSite);
  }

  private AllocationResult allocateUncharged(PoolType type, long size, int tag, PoolOwner owner,
      boolean captureStack, String callingSite) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(owner, "owner");
    NtStatus invalid = validate(size, tag);
    if (invalid != null) {
      return AllocationResult.failed(invalid);
    }
    return allocateCharged(type, size, tag, owner, null, captureStack, callingSite);
  }

  /**
   * Allocates as {@link #allocate} and also charges the block to {@code quota} until it is freed.
   *
   * <p>Models {@code ExAllocatePoolWithQuotaTag} (full).
   *
   * @implNote NT raises an exception when the quota is exceeded unless the caller passes {@code
   *     POOL_QUOTA_FAIL_INSTEAD_OF_RAISE}; ntio always returns the status.
   * @return as {@link #allocate}, or {@code STATUS_QUOTA_EXCEEDED} if the block would take the
   *     process past its quota (nothing is charged then)
   */
  public AllocationResult allocateWithQuota(
      PoolType type, long size, int tag, PoolOwner owner, QuotaBlock quota) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(quota, "quota");
    NtStatus invalid = validate(size, tag);
    if (invalid != null) {
      return AllocationResult.failed(invalid);
    }
    NtStatus charged = quota.charge(type, size);
    if (!charged.isSuccess()) {
      return AllocationResult.failed(charged);
    }
    AllocationResult result = allocateCharged(type, size, tag, owner, quota, false, null);
    if (!result.status().isSuccess()) {
      quota.release(type, size);
    }
    return result;
  }

  /**
   * Frees {@code allocation}, checking that {@code tag} is the one it was allocated with ({@code 0}
   * skips the check, as {@code ExFreePool} does).
   *
   * <p>Models {@code ExFreePoolWithTag} (full). A second free raises {@code BAD_POOL_CALLER} (0xC2)
   * with parameters {@code 0x07}, 0 (reserved), the pool header contents (see {@link
   * PoolAllocation}), and the block's address. A wrong tag raises 0xC2 with {@code 0x0A}, the
   * block's address, the allocator's tag and the tag passed here. Either names the block's owner
   * and throws {@link BugCheckException}.
   *
   * @throws IllegalArgumentException if {@code allocation} belongs to another pool (an ntio bug)
   */
  public void free(PoolAllocation allocation, int tag) {
    Objects.requireNonNull(allocation, "allocation");
    if (allocation.pool() != this) {
      throw new IllegalArgumentException(allocation + " belongs to another kernel's pool");
    }
    if (allocation.isFreed()) {
      throw raiseAlreadyFreed(allocation);
    }
    if (tag != 0 && tag != allocation.tag()) {
      throw bugChecks.raise(
          BugCheck.BAD_POOL_CALLER,
          BAD_POOL_CALLER_WRONG_TAG,
          allocation.address(),
          Integer.toUnsignedLong(allocation.tag()),
          Integer.toUnsignedLong(tag),
          allocation.owner().name(),
          "pool freed with tag "
              + PoolTag.describe(tag)
              + " but allocated with "
              + PoolTag.describe(allocation.tag())
              + " ("
              + allocation
              + ")");
    }
    if (!allocation.markFreed()) {
      throw raiseAlreadyFreed(allocation); // another thread freed it between the check and here
    }
    live.remove(allocation.address());
    long size = allocation.size();
    allocation.tagCounters.freed(size);
    allocation.ownerCounters.freed(size);
    usedOf(allocation.type()).addAndGet(-size);
    allocation.quota().ifPresent(quota -> quota.release(allocation.type(), size));
  }

  /**
   * Frees {@code allocation} without checking its tag.
   *
   * <p>Models {@code ExFreePool} (full): {@code ExFreePoolWithTag} with a zero tag.
   */
  public void free(PoolAllocation allocation) {
    free(allocation, 0);
  }

  /**
   * Usage by tag and pool type, sorted by tag characters then type, as poolmon lists it.
   *
   * <p>Models the pool tag table that poolmon reads with {@code NtQuerySystemInformation(
   * SystemPoolTagInformation)} (full).
   */
  public List<TagUsage> usageByTag() {
    List<TagUsage> usage = new ArrayList<>(byTag.size());
    for (Map.Entry<TagKey, UsageCounters> entry : byTag.entrySet()) {
      long[] c = entry.getValue().snapshot();
      usage.add(new TagUsage(entry.getKey().tag(), entry.getKey().type(), c[0], c[1], c[2], c[3]));
    }
    usage.sort(
        Comparator.comparing(TagUsage::tagString)
            .thenComparing(TagUsage::tag)
            .thenComparing(TagUsage::type));
    return List.copyOf(usage);
  }

  /**
   * Usage by owner name and pool type, sorted by owner then type.
   *
   * <p>Models Driver Verifier's per-driver pool counters ({@code verifier /query}) (partial: kept
   * for every owner, verified or not).
   */
  public List<OwnerUsage> usageByOwner() {
    List<OwnerUsage> usage = new ArrayList<>(byOwner.size());
    for (Map.Entry<OwnerKey, UsageCounters> entry : byOwner.entrySet()) {
      long[] c = entry.getValue().snapshot();
      usage.add(
          new OwnerUsage(entry.getKey().owner(), entry.getKey().type(), c[0], c[1], c[2], c[3]));
    }
    usage.sort(Comparator.comparing(OwnerUsage::owner).thenComparing(OwnerUsage::type));
    return List.copyOf(usage);
  }

  /**
   * The blocks {@code owner} has allocated and not freed, by address: what the verifier's unload
   * scan reports as leaks. Blocks allocated or freed while this runs may or may not be included.
   *
   * <p>Models Driver Verifier's tracked-allocation list of one driver ({@code VfPoolTrackedList})
   * (partial: kept for every owner).
   */
  public List<PoolAllocation> liveAllocations(PoolOwner owner) {
    Objects.requireNonNull(owner, "owner");
    return live.values().stream()
        .filter(allocation -> allocation.owner().equals(owner))
        .sorted(Comparator.comparingLong(PoolAllocation::address))
        .toList();
  }

  /**
   * Every block allocated and not freed, by address.
   *
   * <p>Models walking the pool's allocated blocks, as the debugger's {@code !poolfind} does (full).
   */
  public List<PoolAllocation> liveAllocations() {
    return live.values().stream()
        .sorted(Comparator.comparingLong(PoolAllocation::address))
        .toList();
  }

  /**
   * Whether {@code allocation} came from this pool (and not another kernel instance's): what the
   * verifier asks before a free, to tell a block no allocation of this kernel returned.
   *
   * <p>Models the verifier's lookup of an address among the allocations it tracks (partial: by
   * pool, not by address).
   */
  public boolean contains(PoolAllocation allocation) {
    return allocation.pool() == this;
  }

  BugChecks bugChecks() {
    return bugChecks;
  }

  private static NtStatus validate(long size, int tag) {
    if (tag == 0 || size <= 0) {
      return NtStatus.STATUS_INVALID_PARAMETER;
    }
    if (size > MAXIMUM_ALLOCATION) {
      return NtStatus.STATUS_INSUFFICIENT_RESOURCES;
    }
    return null;
  }

  private AllocationResult allocateCharged(
      PoolType type, long size, int tag, PoolOwner owner, QuotaBlock quota, boolean captureStack,
      String callingSite) {
    if (!chargeUsage(type, size)) {
      return AllocationResult.failed(NtStatus.STATUS_INSUFFICIENT_RESOURCES);
    }
    long footprint = GRANULARITY + (size + GRANULARITY - 1) / GRANULARITY * GRANULARITY;
    long offset = nextOffset.getAndAdd(footprint);
    byte[] bytes = null;
    if (offset >= 0 && offset <= ADDRESS_SPACE - footprint) {
      try {
        bytes = new byte[(int) size];
      } catch (OutOfMemoryError heapExhausted) {
        // The JVM heap is this pool's physical memory: running out is running out of pool.
        bytes = null;
      }
    }
    if (bytes == null) {
      usedOf(type).addAndGet(-size);
      return AllocationResult.failed(NtStatus.STATUS_INSUFFICIENT_RESOURCES);
    }
    // Filling in a Throwable is the cheapest capture the JVM offers (no frames are decoded until
    // a report asks for them); a StackWalker that stops at the caller costs about twice as much.
    Throwable stack = captureStack || trackStacks ? new Throwable("pool allocation") : null;
    UsageCounters tagCounters = counters(byTag, new TagKey(tag, type));
    UsageCounters ownerCounters = counters(byOwner, new OwnerKey(owner.name(), type));
    PoolAllocation allocation =
        new PoolAllocation(
            this,
            ADDRESS_BASE + offset + GRANULARITY,
            bytes,
            tag,
            type,
            owner,
            quota,
            stack,
            callingSite,
            tagCounters,
            ownerCounters);
    tagCounters.allocated(size);
    ownerCounters.allocated(size);
    live.put(allocation.address(), allocation);
    return new AllocationResult(NtStatus.STATUS_SUCCESS, allocation);
  }

  private static <K> UsageCounters counters(ConcurrentHashMap<K, UsageCounters> map, K key) {
    UsageCounters counters = map.get(key);
    return counters != null ? counters : map.computeIfAbsent(key, k -> new UsageCounters());
  }

  /** Adds {@code size} to the usage of {@code type}'s pool if that stays within its limit. */
  private boolean chargeUsage(PoolType type, long size) {
    AtomicLong used = usedOf(type);
    while (true) {
      long limit = limit(type);
      long current = used.get();
      if (size > limit - current) {
        return false;
      }
      if (used.compareAndSet(current, current + size)) {
        return true;
      }
    }
  }

  private AtomicLong usedOf(PoolType type) {
    return type.isPaged() ? pagedUsed : nonPagedUsed;
  }

  private BugCheckException raiseAlreadyFreed(PoolAllocation allocation) {
    return bugChecks.raise(
        BugCheck.BAD_POOL_CALLER,
        BAD_POOL_CALLER_ALREADY_FREED,
        0,
        allocation.headerContents(),
        allocation.address(),
        allocation.owner().name(),
        "pool freed twice (" + allocation + ")");
  }
}
