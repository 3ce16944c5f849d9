package ntio.drivers.filter;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicLongArray;
import ntio.ddk.NtStatus;

/**
 * The Filter device's extension: one request counter per major function. Thread-safe without a
 * lock: each counter is atomic, and requests of any kind may be counted concurrently.
 */
final class FilterCounters {

  private final AtomicLongArray counts = new AtomicLongArray(FilterIoctl.COUNTER_COUNT);

  /**
   * Counts one request of {@code majorFunction}.
   *
   * @throws IndexOutOfBoundsException outside {@code 0..IRP_MJ_MAXIMUM_FUNCTION}
   */
  void count(int majorFunction) {
    counts.incrementAndGet(majorFunction);
  }

  /** The count of {@code majorFunction}. */
  long get(int majorFunction) {
    return counts.get(majorFunction);
  }

  /**
   * Answers {@link FilterIoctl#IOCTL_FILTER_QUERY_COUNTS}: writes every counter, little-endian, to
   * the start of {@code systemBuffer}.
   *
   * <p>Each counter is read atomically, but not all of them at one instant: requests counted while
   * the answer is being written may show in some counters and not in others.
   *
   * @return success with {@link FilterIoctl#COUNTS_SIZE}, or {@code STATUS_BUFFER_TOO_SMALL}
   *     (nothing written) when {@code outputLength} is below it
   */
  IoResult query(int outputLength, byte[] systemBuffer) {
    if (outputLength < FilterIoctl.COUNTS_SIZE) {
      return IoResult.failure(NtStatus.STATUS_BUFFER_TOO_SMALL);
    }
    ByteBuffer out = ByteBuffer.wrap(systemBuffer).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < FilterIoctl.COUNTER_COUNT; i++) {
      out.putLong(i * Long.BYTES, counts.get(i));
    }
    return IoResult.success(FilterIoctl.COUNTS_SIZE);
  }
}
