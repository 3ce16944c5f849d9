package ntio.drivers.toaster.filter;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicLongArray;
import ntio.ddk.MajorFunctions;

/**
 * The filter device's extension: how many requests of each major function, and of each PnP minor
 * function, reached it. Thread-safe without a lock: every counter is atomic.
 */
final class FilterTally {

  /** The major-function counters, then the PnP minor-function counters. */
  private final AtomicLongArray counters =
      new AtomicLongArray(ToasterFilterIoctl.MAJOR_COUNT + ToasterFilterIoctl.PNP_MINOR_COUNT);

  /** Counts one request; an IRP_MJ_PNP request also under its minor function, when that is known. */
  void count(int majorFunction, int minorFunction) {
    counters.incrementAndGet(majorFunction);
    if (majorFunction == MajorFunctions.IRP_MJ_PNP
        && minorFunction >= 0 && minorFunction < ToasterFilterIoctl.PNP_MINOR_COUNT) {
      counters.incrementAndGet(ToasterFilterIoctl.MAJOR_COUNT + minorFunction);
    }
  }

  /**
   * Writes every counter, little-endian, to the start of {@code out}; each counter is read
   * atomically, not all at one instant.
   *
   * @return false, writing nothing, when {@code outputLength} is below {@link
   *     ToasterFilterIoctl#COUNTS_SIZE}
   */
  boolean writeTo(int outputLength, byte[] out) {
    if (outputLength < ToasterFilterIoctl.COUNTS_SIZE || out.length < ToasterFilterIoctl.COUNTS_SIZE) {
      return false;
    }
    ByteBuffer buffer = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < counters.length(); i++) {
      buffer.putLong(counters.get(i));
    }
    return true;
  }
}
