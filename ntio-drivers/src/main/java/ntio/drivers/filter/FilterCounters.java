package ntio.drivers.filter;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;

/**
 * The Filter device's extension: one request counter per major function, and the bytes read and
 * written through the filter. Thread-safe without a lock: each counter is atomic, and requests of
 * any kind may be counted concurrently, as may reads and writes completing on any thread.
 */
final class FilterCounters {

  private final AtomicLongArray counts = new AtomicLongArray(FilterIoctl.COUNTER_COUNT);
  private final AtomicLong bytesRead = new AtomicLong();
  private final AtomicLong bytesWritten = new AtomicLong();

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
   * Counts the bytes a read or write moved, once it completed: {@code information} when {@code
   * status} is a success ({@code NT_SUCCESS}), nothing otherwise — a failed or cancelled request
   * moved no bytes.
   *
   * @throws IllegalArgumentException if {@code majorFunction} is neither {@code IRP_MJ_READ} nor
   *     {@code IRP_MJ_WRITE}
   */
  void countTransferred(int majorFunction, NtStatus status, long information) {
    AtomicLong counter =
        switch (majorFunction) {
          case MajorFunctions.IRP_MJ_READ -> bytesRead;
          case MajorFunctions.IRP_MJ_WRITE -> bytesWritten;
          default -> throw new IllegalArgumentException(
              "bytes are counted for reads and writes, not " + MajorFunctions.name(majorFunction));
        };
    if (status.isSuccess()) {
      counter.addAndGet(information);
    }
  }

  /** The bytes of every successful read counted so far. */
  long bytesRead() {
    return bytesRead.get();
  }

  /** The bytes of every successful write counted so far. */
  long bytesWritten() {
    return bytesWritten.get();
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

  /**
   * Answers {@link FilterIoctl#IOCTL_FILTER_QUERY_BYTES}: writes the bytes read, then the bytes
   * written, little-endian, to the start of {@code systemBuffer}. Each is read atomically, not
   * both at one instant.
   *
   * @return success with {@link FilterIoctl#BYTES_SIZE}, or {@code STATUS_BUFFER_TOO_SMALL}
   *     (nothing written) when {@code outputLength} is below it
   */
  IoResult queryBytes(int outputLength, byte[] systemBuffer) {
    if (outputLength < FilterIoctl.BYTES_SIZE) {
      return IoResult.failure(NtStatus.STATUS_BUFFER_TOO_SMALL);
    }
    ByteBuffer out = ByteBuffer.wrap(systemBuffer).order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(0, bytesRead.get());
    out.putLong(Long.BYTES, bytesWritten.get());
    return IoResult.success(FilterIoctl.BYTES_SIZE);
  }
}
