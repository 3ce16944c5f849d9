package ntio.drivers.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class FilterCountersTest {

  private final FilterCounters counters = new FilterCounters();

  @Test
  void eachMajorFunctionIsCountedOnItsOwn() {
    counters.count(MajorFunctions.IRP_MJ_CREATE);
    counters.count(MajorFunctions.IRP_MJ_WRITE);
    counters.count(MajorFunctions.IRP_MJ_WRITE);

    assertThat(counters.get(MajorFunctions.IRP_MJ_CREATE)).isEqualTo(1);
    assertThat(counters.get(MajorFunctions.IRP_MJ_WRITE)).isEqualTo(2);
    assertThat(counters.get(MajorFunctions.IRP_MJ_READ)).isZero();
  }

  @Test
  void theQueryWritesEveryCounterLittleEndianInMajorFunctionOrder() {
    counters.count(MajorFunctions.IRP_MJ_CREATE);
    counters.count(MajorFunctions.IRP_MJ_PNP);
    counters.count(MajorFunctions.IRP_MJ_PNP);
    byte[] systemBuffer = new byte[FilterIoctl.COUNTS_SIZE + 8];
    Arrays.fill(systemBuffer, (byte) -1);

    IoResult answer = counters.query(systemBuffer.length, systemBuffer);

    assertThat(answer).isEqualTo(new IoResult(NtStatus.STATUS_SUCCESS, 224));
    ByteBuffer in = ByteBuffer.wrap(systemBuffer).order(ByteOrder.LITTLE_ENDIAN);
    long[] got = new long[FilterIoctl.COUNTER_COUNT];
    for (int i = 0; i < got.length; i++) {
      got[i] = in.getLong(i * 8);
    }
    long[] expected = new long[FilterIoctl.COUNTER_COUNT];
    expected[MajorFunctions.IRP_MJ_CREATE] = 1;
    expected[MajorFunctions.IRP_MJ_PNP] = 2;
    assertThat(got).containsExactly(expected);
    assertThat(Arrays.copyOfRange(systemBuffer, 224, 232)).containsOnly(-1);
  }

  @Test
  void aQueryWithAnOutputBufferOneByteShortIsBufferTooSmallAndWritesNothing() {
    counters.count(MajorFunctions.IRP_MJ_CREATE);
    byte[] systemBuffer = new byte[FilterIoctl.COUNTS_SIZE - 1];

    IoResult answer = counters.query(systemBuffer.length, systemBuffer);

    assertThat(answer).isEqualTo(new IoResult(NtStatus.STATUS_BUFFER_TOO_SMALL, 0));
    assertThat(systemBuffer).containsOnly(0);
  }

  @Test
  void aMajorFunctionBeyondTheTableIsABug() {
    assertThatThrownBy(() -> counters.count(MajorFunctions.IRP_MJ_MAXIMUM_FUNCTION + 1))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  @Timeout(30)
  void concurrentRequestsAreEachCountedOnce() throws Exception {
    int threads = 4;
    int perThread = 50_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> counting = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        counting.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < perThread; i++) {
                    counters.count(MajorFunctions.IRP_MJ_READ);
                    counters.count(i % FilterIoctl.COUNTER_COUNT);
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : counting) {
        f.get();
      }

      long total = 0;
      for (int i = 0; i < FilterIoctl.COUNTER_COUNT; i++) {
        total += counters.get(i);
      }
      assertThat(total).isEqualTo(2L * threads * perThread);
      long reads = (long) threads * perThread;
      long readsByModulo = threads * countOf(MajorFunctions.IRP_MJ_READ, perThread);
      assertThat(counters.get(MajorFunctions.IRP_MJ_READ)).isEqualTo(reads + readsByModulo);
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  /** How many {@code i} in {@code 0..n-1} have {@code i % COUNTER_COUNT == function}. */
  private static long countOf(int function, int n) {
    long count = 0;
    for (int i = 0; i < n; i++) {
      if (i % FilterIoctl.COUNTER_COUNT == function) {
        count++;
      }
    }
    return count;
  }
}
