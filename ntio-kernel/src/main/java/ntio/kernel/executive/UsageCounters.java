package ntio.kernel.executive;

import java.util.concurrent.atomic.LongAdder;

/** Allocation counters of one tag or owner in one pool type; contention-free to update. */
final class UsageCounters {

  private final LongAdder allocations = new LongAdder();
  private final LongAdder frees = new LongAdder();
  private final LongAdder allocatedBytes = new LongAdder();
  private final LongAdder freedBytes = new LongAdder();

  void allocated(long size) {
    allocatedBytes.add(size);
    allocations.increment();
  }

  void freed(long size) {
    freedBytes.add(size);
    frees.increment();
  }

  /**
   * {allocations, frees, outstanding, outstandingBytes}. Frees are read before allocations: a free
   * always follows its allocation, so outstanding counts never go negative while work goes on.
   */
  long[] snapshot() {
    long freeCount = frees.sum();
    long freeBytes = freedBytes.sum();
    long allocCount = allocations.sum();
    long allocBytes = allocatedBytes.sum();
    return new long[] {allocCount, freeCount, allocCount - freeCount, allocBytes - freeBytes};
  }
}
