package ntio.bench.scale;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;

/**
 * What the heap holds once the collector has removed everything unreachable: {@link
 * System#gc()} (a full, stop-the-world collection under G1 unless {@code
 * -XX:+ExplicitGCInvokesConcurrent}), repeated until two readings of the used heap agree to
 * within {@value #STABLE_BYTES} bytes, at most {@value #MAX_COLLECTIONS} times. Reference
 * processing and class unloading can free more in the second collection than in the first, which
 * is why one is not enough.
 *
 * <p>A curve reads it with nothing running in the kernel (no request in flight, no worker busy) and
 * with its own bookkeeping allocated before the first reading, so that the difference between two
 * readings is what the kernel holds for the objects made in between. Under {@code
 * -XX:+DisableExplicitGC} the readings mean nothing, and {@link #check()} says so.
 */
final class HeapProbe {

  /** Two readings this close are taken as stable. */
  static final long STABLE_BYTES = 16 * 1024;

  /** The most collections one reading makes. */
  static final int MAX_COLLECTIONS = 8;

  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  private HeapProbe() {}

  /** One reading: bytes of heap and of metaspace in use after the collections. */
  record Reading(long heap, long metaspace) {}

  /** Collects until stable, then reads the heap and the metaspace. */
  static Reading read() {
    long previous = -1;
    long used = 0;
    for (int i = 0; i < MAX_COLLECTIONS; i++) {
      System.gc();
      used = MEMORY.getHeapMemoryUsage().getUsed();
      if (previous >= 0 && Math.abs(used - previous) <= STABLE_BYTES) {
        break;
      }
      previous = used;
    }
    return new Reading(used, metaspace());
  }

  /** Bytes of class metadata in use: the {@code Metaspace} pool, or 0 where there is none. */
  static long metaspace() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getName().equals("Metaspace")) {
        return pool.getUsage().getUsed();
      }
    }
    return 0;
  }

  /** Bytes per object between two readings: {@code (after - before) / count}. */
  static double perObject(long before, long after, long count) {
    return count == 0 ? 0 : (double) (after - before) / count;
  }

  /** Throws if explicit collections are disabled, which would make every reading meaningless. */
  static void check() {
    for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (argument.equals("-XX:+DisableExplicitGC")) {
        throw new IllegalStateException("-XX:+DisableExplicitGC: System.gc() does nothing, so the heap cannot be"
            + " read after a collection; run the scale curves without it");
      }
    }
  }
}
