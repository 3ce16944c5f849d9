package ntio.kernel.executive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import ntio.api.OwnerUsage;
import ntio.api.TagUsage;
import ntio.ddk.NtStatus;
import ntio.ddk.PoolTag;
import ntio.ddk.PoolType;
import ntio.outside.OutsideCaller;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class PoolTest {

  private static final int LEAK = PoolTag.of("Leak");
  private static final int FILE = PoolTag.of("File");
  private static final PoolOwner LEAKY = PoolOwner.named("Leaky.jar");

  private final RecordingHandler handler = new RecordingHandler();
  private final BugChecks bugChecks = new BugChecks(handler);
  private final Pool pool = new Pool(bugChecks);

  private PoolAllocation allocate(PoolType type, long size, int tag, PoolOwner owner) {
    AllocationResult result = pool.allocate(type, size, tag, owner);
    assertThat(result.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    return result.allocation();
  }

  @Test
  void allocationsGetUniqueSixteenByteAlignedAddressesAboveTheBaseThatDoNotOverlap() {
    PoolAllocation first = allocate(PoolType.NON_PAGED, 1, LEAK, LEAKY);
    PoolAllocation second = allocate(PoolType.PAGED, 17, LEAK, LEAKY);
    PoolAllocation third = allocate(PoolType.NON_PAGED, 16, LEAK, LEAKY);

    for (PoolAllocation allocation : List.of(first, second, third)) {
      assertThat(allocation.address() % 16).isZero();
      assertThat(Long.compareUnsigned(allocation.address(), Pool.ADDRESS_BASE)).isPositive();
    }
    assertThat(second.address()).isGreaterThanOrEqualTo(first.address() + first.size() + 16);
    assertThat(third.address()).isGreaterThanOrEqualTo(second.address() + second.size() + 16);
    assertThat(second.size()).isEqualTo(17);
    assertThat(second.tag()).isEqualTo(LEAK);
    assertThat(second.type()).isEqualTo(PoolType.PAGED);
    assertThat(second.owner()).isEqualTo(LEAKY);
    assertThat(second.quota()).isEmpty();
  }

  @Test
  void aZeroTagIsAnInvalidParameterAndAllocatesNothing() {
    AllocationResult result = pool.allocate(PoolType.PAGED, 16, 0, LEAKY);

    assertThat(result.status()).isEqualTo(NtStatus.STATUS_INVALID_PARAMETER);
    assertThat(result.allocation()).isNull();
    assertThat(pool.usageByTag()).isEmpty();
    assertThat(handler.handled).isEmpty();
  }

  @Test
  void aSizeOfZeroOrLessIsAnInvalidParameter() {
    assertThat(pool.allocate(PoolType.PAGED, 0, LEAK, LEAKY).status())
        .isEqualTo(NtStatus.STATUS_INVALID_PARAMETER);
    assertThat(pool.allocate(PoolType.NON_PAGED, -8, LEAK, LEAKY).status())
        .isEqualTo(NtStatus.STATUS_INVALID_PARAMETER);
    assertThat(pool.used(PoolType.PAGED) + pool.used(PoolType.NON_PAGED)).isZero();
  }

  @Test
  void aSizeNoJavaArrayCanHoldIsInsufficientResources() {
    assertThat(pool.allocate(PoolType.PAGED, 1L << 40, LEAK, LEAKY).status())
        .isEqualTo(NtStatus.STATUS_INSUFFICIENT_RESOURCES);
  }

  @Test
  void bytesWrittenReadBackLittleEndian() {
    PoolAllocation block = allocate(PoolType.NON_PAGED, 32, LEAK, LEAKY);

    block.putInt(0, 0x11223344);
    block.putLong(5, 0x0102030405060708L);
    block.putByte(31, (byte) 0x7F);

    assertThat(block.getByte(0)).isEqualTo((byte) 0x44);
    assertThat(block.getByte(3)).isEqualTo((byte) 0x11);
    assertThat(block.getInt(0)).isEqualTo(0x11223344);
    assertThat(block.getLong(5)).isEqualTo(0x0102030405060708L);
    assertThat(block.getByte(5)).isEqualTo((byte) 0x08);
    assertThat(block.getByte(31)).isEqualTo((byte) 0x7F);

    block.write(16, new byte[] {1, 2, 3, 4, 5}, 1, 3);
    byte[] out = new byte[4];
    block.read(15, out);
    assertThat(out).containsExactly(0, 2, 3, 4);

    block.fill((byte) 0xAB);
    block.fill(2, 2, (byte) 0);
    byte[] all = new byte[32];
    block.read(0, all);
    assertThat(all[0]).isEqualTo((byte) 0xAB);
    assertThat(all[2]).isZero();
    assertThat(all[3]).isZero();
    assertThat(all[4]).isEqualTo((byte) 0xAB);
    assertThat(all[31]).isEqualTo((byte) 0xAB);
  }

  @Test
  void aReadAfterFreeRaisesPageFaultWithTheAddressTouchedAndRead() {
    PoolAllocation block = allocate(PoolType.NON_PAGED, 64, LEAK, LEAKY);
    pool.free(block, LEAK);

    BugCheckException thrown = Raised.by(() -> block.getInt(8));

    BugCheck bugCheck = thrown.bugCheck();
    assertThat(bugCheck.code()).isEqualTo(BugCheck.PAGE_FAULT_IN_NONPAGED_AREA);
    assertThat(bugCheck.parameters()).containsExactly(block.address() + 8, 0, 0, 0x0);
    assertThat(bugCheck.driver()).isEqualTo("Leaky.jar");
    assertThat(bugCheck.message()).contains("read of freed pool").contains("'Leak'");
    assertThat(handler.only()).isEqualTo(bugCheck);
    assertThat(bugChecks.isHalted()).isTrue();
  }

  @Test
  void aWriteAfterFreeRaisesPageFaultMarkedAsAWrite() {
    PoolAllocation block = allocate(PoolType.PAGED, 64, LEAK, LEAKY);
    pool.free(block);

    BugCheck bugCheck = Raised.by(() -> block.write(3, new byte[] {1})).bugCheck();

    assertThat(bugCheck.code()).isEqualTo(0x50);
    assertThat(bugCheck.parameter1()).isEqualTo(block.address() + 3);
    assertThat(bugCheck.parameter2()).isEqualTo(1);
    assertThat(block.isFreed()).isTrue();
  }

  @Test
  void everyKindOfAccessAfterFreeIsCaught() {
    PoolAllocation block = allocate(PoolType.PAGED, 64, LEAK, LEAKY);
    pool.free(block);

    List<Runnable> accesses =
        List.of(
            () -> block.getByte(0),
            () -> block.putByte(0, (byte) 1),
            () -> block.getInt(0),
            () -> block.putInt(0, 1),
            () -> block.getLong(0),
            () -> block.putLong(0, 1),
            () -> block.read(0, new byte[1]),
            () -> block.write(0, new byte[1]),
            () -> block.fill((byte) 0));
    for (Runnable access : accesses) {
      assertThat(Raised.by(access::run).bugCheck().code()).isEqualTo(0x50);
    }
    assertThat(handler.handled).hasSize(1);
    assertThat(bugChecks.secondaryCount()).isEqualTo(accesses.size() - 1);
  }

  @Test
  void anAccessPastTheEndRaisesPageFaultAtTheFirstByteOutside() {
    PoolAllocation block = allocate(PoolType.NON_PAGED, 10, LEAK, LEAKY);

    BugCheck bugCheck = Raised.by(() -> block.getInt(8)).bugCheck();

    assertThat(bugCheck.code()).isEqualTo(BugCheck.PAGE_FAULT_IN_NONPAGED_AREA);
    assertThat(bugCheck.parameters()).containsExactly(block.address() + 10, 0, 0, 0x2);
    assertThat(bugCheck.message()).contains("outside the block");
  }

  @Test
  void anAccessBeforeTheStartRaisesPageFaultBelowTheBlock() {
    PoolAllocation block = allocate(PoolType.NON_PAGED, 10, LEAK, LEAKY);

    BugCheck bugCheck = Raised.by(() -> block.putByte(-1, (byte) 0)).bugCheck();

    assertThat(bugCheck.parameters()).containsExactly(block.address() - 1, 1, 0, 0x2);
  }

  @Test
  void anAccessWhollyBeyondTheBlockRaisesPageFaultAtItsOffset() {
    PoolAllocation block = allocate(PoolType.NON_PAGED, 10, LEAK, LEAKY);

    BugCheck bugCheck = Raised.by(() -> block.read(100, new byte[4])).bugCheck();

    assertThat(bugCheck.parameter1()).isEqualTo(block.address() + 100);
  }

  @Test
  void aDoubleFreeRaisesBadPoolCallerSeven() {
    PoolAllocation block = allocate(PoolType.NON_PAGED, 40, LEAK, LEAKY);
    pool.free(block, LEAK);

    BugCheck bugCheck = Raised.by(() -> pool.free(block, LEAK)).bugCheck();

    assertThat(bugCheck.code()).isEqualTo(BugCheck.BAD_POOL_CALLER);
    assertThat(bugCheck.parameter1()).isEqualTo(0x07);
    assertThat(bugCheck.parameter2()).isZero();
    // Pool header contents: the tag above, block size (40 + 16 header = 4 units) and a free type.
    assertThat(bugCheck.parameter3()).isEqualTo((0x6B61654CL << 32) | (4L << 16));
    assertThat(bugCheck.parameter4()).isEqualTo(block.address());
    assertThat(bugCheck.driver()).isEqualTo("Leaky.jar");
    assertThat(bugCheck.message()).contains("freed twice");
  }

  @Test
  void aFreeWithAnotherTagRaisesBadPoolCallerTenAndLeavesTheBlockAllocated() {
    PoolAllocation block = allocate(PoolType.PAGED, 8, LEAK, LEAKY);

    BugCheck bugCheck = Raised.by(() -> pool.free(block, FILE)).bugCheck();

    assertThat(bugCheck.code()).isEqualTo(BugCheck.BAD_POOL_CALLER);
    assertThat(bugCheck.parameters())
        .containsExactly(0x0A, block.address(), 0x6B61654CL, 0x656C6946L);
    assertThat(bugCheck.message()).contains("'File'").contains("'Leak'");
    assertThat(block.isFreed()).isFalse();
    assertThat(pool.liveAllocations(LEAKY)).containsExactly(block);
  }

  @Test
  void freeWithoutATagSkipsTheTagCheck() {
    PoolAllocation block = allocate(PoolType.PAGED, 8, LEAK, LEAKY);

    pool.free(block);

    assertThat(block.isFreed()).isTrue();
    assertThat(handler.handled).isEmpty();
  }

  @Test
  void freeingABlockOfAnotherKernelsPoolIsAnNtioBug() {
    Pool other = new Pool(new BugChecks(new RecordingHandler()));
    PoolAllocation foreign = other.allocate(PoolType.PAGED, 8, LEAK, LEAKY).allocation();

    assertThatThrownBy(() -> pool.free(foreign))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("another kernel's pool");
  }

  @Test
  void usageIsKeptByTagAndByOwnerForEachPoolType() {
    PoolOwner kernel = PoolOwner.KERNEL;
    PoolAllocation a = allocate(PoolType.PAGED, 100, LEAK, LEAKY);
    allocate(PoolType.PAGED, 50, LEAK, LEAKY);
    allocate(PoolType.NON_PAGED, 30, LEAK, kernel);
    PoolAllocation d = allocate(PoolType.NON_PAGED_NX, 7, FILE, kernel);
    pool.free(a, LEAK);
    pool.free(d, FILE);

    assertThat(pool.usageByTag())
        .containsExactly(
            new TagUsage(FILE, PoolType.NON_PAGED_NX, 1, 1, 0, 0),
            new TagUsage(LEAK, PoolType.NON_PAGED, 1, 0, 1, 30),
            new TagUsage(LEAK, PoolType.PAGED, 2, 1, 1, 50));
    assertThat(pool.usageByOwner())
        .containsExactly(
            new OwnerUsage("Leaky.jar", PoolType.PAGED, 2, 1, 1, 50),
            new OwnerUsage("ntoskrnl", PoolType.NON_PAGED, 1, 0, 1, 30),
            new OwnerUsage("ntoskrnl", PoolType.NON_PAGED_NX, 1, 1, 0, 0));
    assertThat(pool.usageByTag().get(0).tagString()).isEqualTo("File");
    assertThat(pool.used(PoolType.PAGED)).isEqualTo(50);
    assertThat(pool.used(PoolType.NON_PAGED)).isEqualTo(30);
  }

  @Test
  void theLiveAllocationsOfOneOwnerAreListedByAddress() {
    PoolOwner other = PoolOwner.named("Other.jar");
    PoolAllocation first = allocate(PoolType.PAGED, 8, LEAK, LEAKY);
    allocate(PoolType.PAGED, 8, LEAK, other);
    PoolAllocation third = allocate(PoolType.NON_PAGED, 8, FILE, LEAKY);
    PoolAllocation freed = allocate(PoolType.NON_PAGED, 8, FILE, LEAKY);
    pool.free(freed);

    assertThat(pool.liveAllocations(LEAKY)).containsExactly(first, third);
    assertThat(pool.liveAllocations(PoolOwner.named("Leaky.jar"))).containsExactly(first, third);
    assertThat(pool.liveAllocations()).hasSize(3);
  }

  @Test
  void pastThePoolLimitAllocationsFailWithInsufficientResourcesUntilSomethingIsFreed() {
    pool.setLimit(PoolType.NON_PAGED, 100);
    PoolAllocation big = allocate(PoolType.NON_PAGED, 80, LEAK, LEAKY);

    assertThat(pool.allocate(PoolType.NON_PAGED, 21, LEAK, LEAKY).status())
        .isEqualTo(NtStatus.STATUS_INSUFFICIENT_RESOURCES);
    assertThat(pool.allocate(PoolType.NON_PAGED_NX, 21, LEAK, LEAKY).status())
        .isEqualTo(NtStatus.STATUS_INSUFFICIENT_RESOURCES);
    assertThat(pool.allocate(PoolType.PAGED, 1000, LEAK, LEAKY).status())
        .isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(pool.used(PoolType.NON_PAGED)).isEqualTo(80);

    pool.free(big);
    assertThat(pool.allocate(PoolType.NON_PAGED_NX, 100, LEAK, LEAKY).status())
        .isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(pool.limit(PoolType.NON_PAGED_NX)).isEqualTo(100);
  }

  @Test
  void theNxLimitIsTheNonPagedLimitAndCannotBeSetOnItsOwn() {
    assertThatThrownBy(() -> pool.setLimit(PoolType.NON_PAGED_NX, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NON_PAGED");
    assertThatThrownBy(() -> pool.setLimit(PoolType.PAGED, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anAllocationPastTheProcessQuotaIsQuotaExceededAndFreeingReturnsTheQuota() {
    QuotaBlock quota = new QuotaBlock("client.exe", 100, 1000);
    PoolAllocation charged =
        pool.allocateWithQuota(PoolType.PAGED, 60, LEAK, LEAKY, quota).allocation();

    AllocationResult refused = pool.allocateWithQuota(PoolType.PAGED, 50, LEAK, LEAKY, quota);

    assertThat(refused.status()).isEqualTo(NtStatus.STATUS_QUOTA_EXCEEDED);
    assertThat(refused.allocation()).isNull();
    assertThat(quota.usage(PoolType.PAGED)).isEqualTo(60);
    assertThat(pool.used(PoolType.PAGED)).isEqualTo(60);
    assertThat(charged.quota()).containsSame(quota);

    pool.free(charged, LEAK);

    assertThat(quota.usage(PoolType.PAGED)).isZero();
    assertThat(pool.allocateWithQuota(PoolType.PAGED, 100, LEAK, LEAKY, quota).status())
        .isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(quota.peak(PoolType.PAGED)).isEqualTo(100);
  }

  @Test
  void aQuotaAllocationThatThePoolRefusesChargesNoQuota() {
    QuotaBlock quota = new QuotaBlock("client.exe", 1000, 1000);
    pool.setLimit(PoolType.PAGED, 10);

    assertThat(pool.allocateWithQuota(PoolType.PAGED, 20, LEAK, LEAKY, quota).status())
        .isEqualTo(NtStatus.STATUS_INSUFFICIENT_RESOURCES);
    assertThat(pool.allocateWithQuota(PoolType.PAGED, 20, 0, LEAKY, quota).status())
        .isEqualTo(NtStatus.STATUS_INVALID_PARAMETER);
    assertThat(quota.usage(PoolType.PAGED)).isZero();
  }

  @Test
  void theAllocatingStackIsRecordedOnlyWhileTrackingIsOn() {
    PoolAllocation untracked = allocate(PoolType.PAGED, 8, LEAK, LEAKY);
    pool.setTrackStacks(true);
    PoolAllocation tracked = allocate(PoolType.PAGED, 8, LEAK, LEAKY);

    assertThat(pool.tracksStacks()).isTrue();
    assertThat(untracked.allocationStack()).isEmpty();
    assertThat(tracked.allocationStack())
        .hasValueSatisfying(
            stack ->
                assertThat(stack).contains("theAllocatingStackIsRecordedOnlyWhileTrackingIsOn"));
  }

  @Test
  void trackingTheCallerRecordsTheNearestFrameOutsideTheKernelAsTheSite() {
    PoolAllocation untracked = allocate(PoolType.PAGED, 8, LEAK, LEAKY);
    PoolAllocation tracked = OutsideCaller.allocateTracked(pool, 8, LEAK, LEAKY).allocation();

    assertThat(untracked.allocationSite()).isEmpty();
    assertThat(tracked.allocationSite()).hasValueSatisfying(site ->
        assertThat(site).startsWith(OutsideCaller.class.getName() + ".allocateTracked(OutsideCaller.java:"));
  }

  @Test
  @Timeout(30)
  void eightThreadsAllocatingAndFreeingLeaveTheStatisticsExactlyBalanced() throws Exception {
    int threads = 8;
    int rounds = 20_000;
    int[] tags = {PoolTag.of("Aaaa"), PoolTag.of("Bbbb"), PoolTag.of("Cccc"), PoolTag.of("Dddd")};
    PoolOwner[] owners = {PoolOwner.named("One.jar"), PoolOwner.named("Two.jar"), PoolOwner.KERNEL};
    PoolType[] types = PoolType.values();
    AtomicLong totalAllocations = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Set<Long> addresses = java.util.concurrent.ConcurrentHashMap.newKeySet();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      long seed = t;
      workers.add(
          new Thread(
              () -> {
                SplittableRandom random = new SplittableRandom(seed);
                List<PoolAllocation> held = new ArrayList<>();
                try {
                  start.await();
                  for (int i = 0; i < rounds; i++) {
                    int tag = tags[random.nextInt(tags.length)];
                    long size = 1L + random.nextInt(256);
                    AllocationResult result =
                        pool.allocate(
                            types[random.nextInt(types.length)],
                            size,
                            tag,
                            owners[random.nextInt(owners.length)]);
                    if (!result.status().isSuccess()) {
                      throw new AssertionError("allocation failed: " + result.status());
                    }
                    PoolAllocation block = result.allocation();
                    if (!addresses.add(block.address())) {
                      throw new AssertionError("address handed out twice: " + block);
                    }
                    if (size >= Long.BYTES) {
                      block.putLong(size - Long.BYTES, i);
                    } else {
                      block.putByte(size - 1, (byte) i);
                    }
                    totalAllocations.incrementAndGet();
                    held.add(block);
                    if (held.size() > 16 || random.nextBoolean()) {
                      PoolAllocation victim = held.remove(random.nextInt(held.size()));
                      pool.free(victim, victim.tag());
                    }
                  }
                  for (PoolAllocation block : held) {
                    pool.free(block);
                  }
                } catch (Throwable e) {
                  failure.compareAndSet(null, e);
                }
              }));
    }
    workers.forEach(Thread::start);
    start.countDown();
    for (Thread worker : workers) {
      worker.join();
    }

    assertThat(failure.get()).isNull();
    assertThat(handler.handled).isEmpty();
    assertThat(pool.liveAllocations()).isEmpty();
    assertThat(pool.used(PoolType.PAGED)).isZero();
    assertThat(pool.used(PoolType.NON_PAGED)).isZero();
    List<TagUsage> byTag = pool.usageByTag();
    assertThat(byTag).hasSize(tags.length * types.length);
    assertThat(byTag)
        .allSatisfy(
            usage -> {
              assertThat(usage.allocations()).isEqualTo(usage.frees());
              assertThat(usage.outstanding()).isZero();
              assertThat(usage.outstandingBytes()).isZero();
            });
    assertThat(byTag.stream().mapToLong(TagUsage::allocations).sum())
        .isEqualTo(totalAllocations.get())
        .isEqualTo((long) threads * rounds);
    List<OwnerUsage> byOwner = pool.usageByOwner();
    assertThat(byOwner)
        .extracting(OwnerUsage::outstanding, OwnerUsage::outstandingBytes)
        .containsOnly(tuple(0L, 0L));
    assertThat(byOwner.stream().mapToLong(OwnerUsage::frees).sum())
        .isEqualTo(totalAllocations.get());
    assertThat((long) addresses.size()).isEqualTo(totalAllocations.get());
  }
}
