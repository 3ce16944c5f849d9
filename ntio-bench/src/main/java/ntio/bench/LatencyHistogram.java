package ntio.bench;

/**
 * Latencies in nanoseconds, counted in logarithmic buckets: 16 buckets per power of two, so a
 * percentile is known to within 1/16 of its power of two (about 6 %), in a fixed 8 KiB. Values
 * below 16 ns have a bucket each. Not thread-safe: one thread records, then histograms are merged.
 */
final class LatencyHistogram {

  /** Bits of a value's mantissa that choose its bucket within its power of two. */
  private static final int SUB_BITS = 4;
  private static final int SUB_BUCKETS = 1 << SUB_BITS;

  private final long[] counts = new long[64 * SUB_BUCKETS];
  private long total;
  private long max;

  /** Counts one latency; negative values count as 0. */
  void record(long nanos) {
    long value = Math.max(0, nanos);
    counts[bucket(value)]++;
    total++;
    max = Math.max(max, value);
  }

  /** Adds every count of {@code other}. */
  void add(LatencyHistogram other) {
    for (int i = 0; i < counts.length; i++) {
      counts[i] += other.counts[i];
    }
    total += other.total;
    max = Math.max(max, other.max);
  }

  /** How many latencies were counted. */
  long count() {
    return total;
  }

  /** The largest latency counted, exactly; 0 if none. */
  long max() {
    return max;
  }

  /**
   * The smallest bucket bound below which at least {@code percent} % of the latencies lie (never
   * above {@link #max()}); 0 if none were counted.
   */
  long percentile(double percent) {
    if (total == 0) {
      return 0;
    }
    long rank = (long) Math.ceil(total * percent / 100.0);
    rank = Math.max(1, Math.min(total, rank));
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return Math.min(max, upperBound(i));
      }
    }
    return max;
  }

  static int bucket(long value) {
    if (value < SUB_BUCKETS) {
      return (int) value;
    }
    int exponent = 63 - Long.numberOfLeadingZeros(value);
    int sub = (int) (value >>> (exponent - SUB_BITS)) & (SUB_BUCKETS - 1);
    return (exponent - SUB_BITS + 1) * SUB_BUCKETS + sub;
  }

  /** The largest value in bucket {@code index}. */
  static long upperBound(int index) {
    if (index < SUB_BUCKETS) {
      return index;
    }
    int exponent = index / SUB_BUCKETS + SUB_BITS - 1;
    long sub = index % SUB_BUCKETS;
    long lower = (1L << exponent) + (sub << (exponent - SUB_BITS));
    return lower + (1L << (exponent - SUB_BITS)) - 1;
  }
}
