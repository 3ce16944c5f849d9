package ntio.drivers.echo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class EchoFifoTest {

  /**
   * Writers append fixed-size records concurrently with one reader taking odd amounts: the stream
   * read must be whole records (no write split by another), each writer's in its order, none lost.
   */
  @Test
  @Timeout(30)
  void concurrentWritesArriveWholeAndInEachWritersOrder() throws Exception {
    int writers = 4;
    int recordsPerWriter = 2000;
    int recordSize = 12;
    EchoFifo fifo = new EchoFifo(1 << 20);
    ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> writing = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        writing.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int seq = 0; seq < recordsPerWriter; seq++) {
                    byte[] record = record(writer, seq, recordSize);
                    assertThat(fifo.append(record, record.length)).isTrue();
                  }
                  return null;
                }));
      }
      AtomicBoolean writersDone = new AtomicBoolean();
      Future<byte[]> reading =
          pool.submit(
              () -> {
                start.await();
                ByteArrayOutputStream stream = new ByteArrayOutputStream();
                byte[] out = new byte[7];
                while (true) {
                  boolean done = writersDone.get();
                  int n = fifo.take(out, out.length);
                  stream.write(out, 0, n);
                  if (done && n == 0) {
                    return stream.toByteArray();
                  }
                }
              });
      start.countDown();
      for (Future<?> f : writing) {
        f.get();
      }
      writersDone.set(true);
      byte[] stream = reading.get();

      assertThat(stream).hasSize(writers * recordsPerWriter * recordSize);
      int[] nextSeq = new int[writers];
      for (int offset = 0; offset < stream.length; offset += recordSize) {
        byte[] got = Arrays.copyOfRange(stream, offset, offset + recordSize);
        int writer = got[0];
        assertThat(writer).isBetween(0, writers - 1);
        assertThat(got).isEqualTo(record(writer, nextSeq[writer], recordSize));
        nextSeq[writer]++;
      }
      assertThat(nextSeq).containsOnly(recordsPerWriter);
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  /** Readers racing for the same bytes each get distinct bytes: nothing is read twice or lost. */
  @Test
  @Timeout(30)
  void concurrentReadersNeverReceiveTheSameByte() throws Exception {
    int total = 200_000;
    EchoFifo fifo = new EchoFifo(total);
    byte[] all = new byte[total];
    for (int i = 0; i < total; i++) {
      all[i] = (byte) (i % 251);
    }
    fifo.append(all, total);
    int readers = 4;
    ExecutorService pool = Executors.newFixedThreadPool(readers);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<long[]>> reading = new ArrayList<>();
      for (int r = 0; r < readers; r++) {
        reading.add(
            pool.submit(
                () -> {
                  start.await();
                  long count = 0;
                  long sum = 0;
                  byte[] out = new byte[13];
                  int n;
                  while ((n = fifo.take(out, out.length)) > 0) {
                    count += n;
                    for (int i = 0; i < n; i++) {
                      sum += out[i] & 0xFF;
                    }
                  }
                  return new long[] {count, sum};
                }));
      }
      start.countDown();
      long count = 0;
      long sum = 0;
      for (Future<long[]> f : reading) {
        long[] got = f.get();
        count += got[0];
        sum += got[1];
      }

      long expectedSum = 0;
      for (byte b : all) {
        expectedSum += b & 0xFF;
      }
      assertThat(count).isEqualTo(total);
      assertThat(sum).isEqualTo(expectedSum);
      assertThat(fifo.available()).isZero();
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  private static byte[] record(int writer, int seq, int size) {
    ByteBuffer record = ByteBuffer.allocate(size);
    record.put((byte) writer).putInt(seq);
    while (record.hasRemaining()) {
      record.put((byte) (writer * 31 + seq));
    }
    return record.array();
  }
}
