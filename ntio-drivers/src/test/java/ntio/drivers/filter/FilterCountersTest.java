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
  void theBytesOfSuccessfulReadsAndWritesAreCountedPerDirection() {
    counters.countTransferred(MajorFunctions.IRP_MJ_READ, NtStatus.STATUS_SUCCESS, 5);
    counters.countTransferred(MajorFunctions.IRP_MJ_WRITE, NtStatus.STATUS_SUCCESS, 7);
    counters.countTransferred(MajorFunctions.IRP_MJ_READ, NtStatus.STATUS_SUCCESS, 3);

    assertThat(counters.bytesRead()).isEqualTo(8);
    assertThat(counters.bytesWritten()).isEqualTo(7);
  }

  @Test
  void aRequestThatDidNotSucceedAddsNoBytesWhateverItsInformation() {
    counters.countTransferred(MajorFunctions.IRP_MJ_READ, NtStatus.STATUS_CANCELLED, 9);
    counters.countTransferred(
        MajorFunctions.IRP_MJ_WRITE, NtStatus.STATUS_INSUFFICIENT_RESOURCES, 9);
    // A warning is not NT_SUCCESS either.
    counters.countTransferred(MajorFunctions.IRP_MJ_READ, NtStatus.STATUS_BUFFER_OVERFLOW, 9);

    assertThat(counters.bytesRead()).isZero();
    assertThat(counters.bytesWritten()).isZero();
  }

  @Test
  void anInformationalStatusIsASuccessAndItsBytesCount() {
    counters.countTransferred(MajorFunctions.IRP_MJ_WRITE, NtStatus.STATUS_OBJECT_NAME_EXISTS, 4);

    assertThat(counters.bytesWritten()).isEqualTo(4);
  }

  @Test
  void countingBytesOfAnythingButAReadOrWriteIsABug() {
    assertThatThrownBy(
            () ->
                counters.countTransferred(
                    MajorFunctions.IRP_MJ_DEVICE_CONTROL, NtStatus.STATUS_SUCCESS, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bytes are counted for reads and writes, not IRP_MJ_DEVICE_CONTROL");
  }

  @Test
  void countingBytesDoesNotCountRequests() {
    counters.countTransferred(MajorFunctions.IRP_MJ_READ, NtStatus.STATUS_SUCCESS, 5);

    assertThat(counters.get(MajorFunctions.IRP_MJ_READ)).isZero();
  }

  @Test
  void theBytesQueryWritesBytesReadThenBytesWrittenLittleEndian() {
    counters.countTransferred(MajorFunctions.IRP_MJ_READ, NtStatus.STATUS_SUCCESS, 0x0102);
    counters.countTransferred(MajorFunctions.IRP_MJ_WRITE, NtStatus.STATUS_SUCCESS, 0x0304);
    byte[] systemBuffer = new byte[FilterIoctl.BYTES_SIZE + 4];
    Arrays.fill(systemBuffer, (byte) -1);

    IoResult answer = counters.queryBytes(systemBuffer.length, systemBuffer);

    assertThat(answer).isEqualTo(new IoResult(NtStatus.STATUS_SUCCESS, 16));
    assertThat(systemBuffer)
        .containsExactly(2, 1, 0, 0, 0, 0, 0, 0, 4, 3, 0, 0, 0, 0, 0, 0, -1, -1, -1, -1);
  }

  @Test
  void aBytesQueryWithAnOutputBufferOneByteShortIsBufferTooSmallAndWritesNothing() {
    counters.countTransferred(MajorFunctions.IRP_MJ_READ, NtStatus.STATUS_SUCCESS, 1);
    byte[] systemBuffer = new byte[FilterIoctl.BYTES_SIZE - 1];

    IoResult answer = counters.queryBytes(systemBuffer.length, systemBuffer);

    assertThat(answer).isEqualTo(new IoResult(NtStatus.STATUS_BUFFER_TOO_SMALL, 0));
    assertThat(systemBuffer).containsOnly(0);
  }

  @Test
  @Timeout(30)
  void readsAndWritesCompletingConcurrentlyAreEachCountedOnce() throws Exception {
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
                    counters.countTransferred(
                        MajorFunctions.IRP_MJ_READ, NtStatus.STATUS_SUCCESS, 3);
                    counters.countTransferred(
                        MajorFunctions.IRP_MJ_WRITE, NtStatus.STATUS_SUCCESS, 5);
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : counting) {
        f.get();
      }

      assertThat(counters.bytesRead()).isEqualTo(3L * threads * perThread);
      assertThat(counters.bytesWritten()).isEqualTo(5L * threads * perThread);
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
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
