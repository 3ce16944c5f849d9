package ntio.drivers.echo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import ntio.ddk.CancelRoutine;
import ntio.ddk.FileObject;
import ntio.ddk.NtStatus;
import ntio.ddk.testkit.TestIrp;
import ntio.ddk.testkit.TestKernel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class EchoFifoTest {

  private static final CancelRoutine NEVER_CALLED =
      (device, irp) -> {
        throw new AssertionError("no read is cancelled in this test");
      };

  private final EchoFifo fifo = new EchoFifo(64);
  private final FileObject alice = TestKernel.file("alice");
  private final FileObject bob = TestKernel.file("bob");

  // Reads ---------------------------------------------------------------------------------------

  @Test
  void aReadFindingBytesWaitingTakesUpToItsLengthAtOnceWithoutBeingMarkedPending() {
    fifo.write(bytes(1, 2, 3, 4, 5), 5);
    TestIrp read = TestIrp.read(alice, 3);

    EchoFifo.ReadStart start = fifo.startRead(read, NEVER_CALLED);

    assertThat(start).isEqualTo(EchoFifo.ReadStart.completed(IoResult.success(3)));
    assertThat(start.completesNow()).isTrue();
    assertThat(read.systemBuffer()).containsExactly(1, 2, 3);
    assertThat(read.isMarkedPending()).isFalse();
    assertThat(read.hasCancelRoutine()).isFalse();
    assertThat(fifo.available()).isEqualTo(2);
  }

  @Test
  void aReadOfAnEmptyFifoIsMarkedPendingAndQueuedWithItsCancelRoutine() {
    TestIrp read = TestIrp.read(alice, 8);

    EchoFifo.ReadStart start = fifo.startRead(read, NEVER_CALLED);

    assertThat(start.pending()).isTrue();
    assertThat(start.completesNow()).isFalse();
    assertThat(start.result().status()).isEqualTo(NtStatus.STATUS_PENDING);
    assertThat(read.isMarkedPending()).isTrue();
    assertThat(read.hasCancelRoutine()).isTrue();
    assertThat(fifo.pendingReadCount()).isEqualTo(1);
  }

  @Test
  void aZeroLengthReadOfAnEmptyFifoCompletesAtOnceWithZeroBytes() {
    TestIrp read = TestIrp.read(alice, 0);

    EchoFifo.ReadStart start = fifo.startRead(read, NEVER_CALLED);

    assertThat(start).isEqualTo(EchoFifo.ReadStart.completed(IoResult.success(0)));
    assertThat(read.isMarkedPending()).isFalse();
    assertThat(fifo.pendingReadCount()).isZero();
  }

  @Test
  void aReadArrivingWhileOthersWaitIsQueuedBehindThem() {
    TestIrp first = TestIrp.read(alice, 2);
    TestIrp second = TestIrp.read(bob, 2);
    fifo.startRead(first, NEVER_CALLED);
    fifo.startRead(second, NEVER_CALLED);

    EchoFifo.Written written = fifo.write(bytes(1, 2, 3), 3);

    assertThat(written.servedReads())
        .containsExactly(
            new EchoFifo.Completion(first, IoResult.success(2)),
            new EchoFifo.Completion(second, IoResult.success(1)));
  }

  @Test
  void aReadCancelledBeforeItsCancelRoutineWasSetIsTakenOutAgainAndCancelledAtOnce() {
    TestIrp read = TestIrp.read(alice, 8);
    // IoCancelIrp ran first and found no routine to call.
    read.markCancelled();

    EchoFifo.ReadStart start = fifo.startRead(read, NEVER_CALLED);

    assertThat(start)
        .isEqualTo(new EchoFifo.ReadStart(true, IoResult.failure(NtStatus.STATUS_CANCELLED)));
    assertThat(start.completesNow()).isTrue();
    assertThat(read.isMarkedPending()).isTrue();
    assertThat(read.hasCancelRoutine()).isFalse();
    assertThat(fifo.pendingReadCount()).isZero();
  }

  @Test
  @Timeout(10)
  void aReadWhoseCancelRoutineIsTakenWhileItIsQueuedIsLeftQueuedForThatRoutine()
      throws InterruptedException {
    TestIrp read = TestIrp.read(alice, 8);
    CountDownLatch routineCalled = new CountDownLatch(1);
    read.cancelRightAfterACancelRoutineIsSet(null);

    EchoFifo.ReadStart start = fifo.startRead(read, (device, irp) -> routineCalled.countDown());

    assertThat(start).isEqualTo(EchoFifo.ReadStart.queued());
    routineCalled.await();
    assertThat(fifo.pendingReadCount()).as("the routine takes it out").isEqualTo(1);
    assertThat(fifo.removeCancelledRead(read)).isTrue();
    assertThat(fifo.pendingReadCount()).isZero();
  }

  // Writes --------------------------------------------------------------------------------------

  @Test
  void aWriteServesTheWaitingReadsInArrivalOrderEachUpToItsLength() {
    TestIrp first = TestIrp.read(alice, 2);
    TestIrp second = TestIrp.read(bob, 3);
    TestIrp third = TestIrp.read(alice, 10);
    fifo.startRead(first, NEVER_CALLED);
    fifo.startRead(second, NEVER_CALLED);
    fifo.startRead(third, NEVER_CALLED);

    EchoFifo.Written written = fifo.write(bytes(1, 2, 3, 4, 5, 6, 7), 7);

    assertThat(written.result()).isEqualTo(IoResult.success(7));
    assertThat(written.servedReads())
        .containsExactly(
            new EchoFifo.Completion(first, IoResult.success(2)),
            new EchoFifo.Completion(second, IoResult.success(3)),
            new EchoFifo.Completion(third, IoResult.success(2)));
    assertThat(first.systemBuffer()).containsExactly(1, 2);
    assertThat(second.systemBuffer()).containsExactly(3, 4, 5);
    assertThat(third.systemBuffer()).startsWith(6, 7);
    assertThat(first.hasCancelRoutine() || second.hasCancelRoutine() || third.hasCancelRoutine())
        .as("a served read's cancel routine is taken back")
        .isFalse();
    assertThat(fifo.pendingReadCount()).isZero();
    assertThat(fifo.available()).isZero();
  }

  @Test
  void aWriteStopsServingWhenTheFifoIsEmptyAndTheRestKeepWaiting() {
    TestIrp first = TestIrp.read(alice, 4);
    TestIrp second = TestIrp.read(bob, 4);
    fifo.startRead(first, NEVER_CALLED);
    fifo.startRead(second, NEVER_CALLED);

    EchoFifo.Written written = fifo.write(bytes(1, 2, 3), 3);

    assertThat(written.servedReads())
        .containsExactly(new EchoFifo.Completion(first, IoResult.success(3)));
    assertThat(fifo.pendingReadCount()).isEqualTo(1);
    assertThat(second.hasCancelRoutine()).isTrue();

    EchoFifo.Written next = fifo.write(bytes(4), 1);

    assertThat(next.servedReads())
        .containsExactly(new EchoFifo.Completion(second, IoResult.success(1)));
    assertThat(second.systemBuffer()).startsWith(4);
  }

  @Test
  void bytesLeftOverAfterEveryWaitingReadIsServedWaitForTheNextRead() {
    TestIrp waiting = TestIrp.read(alice, 2);
    fifo.startRead(waiting, NEVER_CALLED);

    fifo.write(bytes(1, 2, 3, 4), 4);
    TestIrp next = TestIrp.read(bob, 8);
    EchoFifo.ReadStart start = fifo.startRead(next, NEVER_CALLED);

    assertThat(start).isEqualTo(EchoFifo.ReadStart.completed(IoResult.success(2)));
    assertThat(next.systemBuffer()).startsWith(3, 4);
  }

  @Test
  void aWriteSkipsAReadWhoseCancelRoutineWasTakenAndLeavesItQueuedForThatRoutine() {
    TestIrp cancelling = TestIrp.read(alice, 2);
    TestIrp waiting = TestIrp.read(bob, 2);
    AtomicInteger routineCalls = new AtomicInteger();
    fifo.startRead(cancelling, (device, irp) -> routineCalls.incrementAndGet());
    fifo.startRead(waiting, NEVER_CALLED);
    // IoCancelIrp took the routine; the routine has not yet got the FIFO's lock.
    assertThat(cancelling.cancel(null)).isTrue();

    EchoFifo.Written written = fifo.write(bytes(1, 2, 3), 3);

    assertThat(written.servedReads())
        .containsExactly(new EchoFifo.Completion(waiting, IoResult.success(2)));
    assertThat(routineCalls).hasValue(1);
    assertThat(fifo.pendingReadCount()).isEqualTo(1);
    assertThat(fifo.removeCancelledRead(cancelling)).isTrue();
    assertThat(fifo.available()).isEqualTo(1);
  }

  @Test
  void aWriteThatDoesNotFitServesNoReadAndAppendsNothing() {
    TestIrp read = TestIrp.read(alice, 4);
    fifo.startRead(read, NEVER_CALLED);

    EchoFifo.Written written = fifo.write(new byte[65], 65);

    assertThat(written)
        .isEqualTo(
            new EchoFifo.Written(
                IoResult.failure(NtStatus.STATUS_INSUFFICIENT_RESOURCES), List.of()));
    assertThat(fifo.pendingReadCount()).isEqualTo(1);
    assertThat(fifo.available()).isZero();
  }

  // Cleanup and cancel --------------------------------------------------------------------------

  @Test
  void cleanupTakesOutTheWaitingReadsOfItsFileObjectOnlyOldestFirst() {
    TestIrp alice1 = TestIrp.read(alice, 1);
    TestIrp bob1 = TestIrp.read(bob, 1);
    TestIrp alice2 = TestIrp.read(alice, 1);
    fifo.startRead(alice1, NEVER_CALLED);
    fifo.startRead(bob1, NEVER_CALLED);
    fifo.startRead(alice2, NEVER_CALLED);

    assertThat(fifo.takePendingReadsOf(alice)).containsExactly(alice1, alice2);

    assertThat(alice1.hasCancelRoutine() || alice2.hasCancelRoutine()).isFalse();
    assertThat(bob1.hasCancelRoutine()).isTrue();
    assertThat(fifo.pendingReadCount()).isEqualTo(1);
    assertThat(fifo.write(bytes(9), 1).servedReads())
        .containsExactly(new EchoFifo.Completion(bob1, IoResult.success(1)));
  }

  @Test
  void cleanupLeavesAReadWhoseCancelRoutineWasTakenToThatRoutine() {
    TestIrp cancelling = TestIrp.read(alice, 1);
    fifo.startRead(cancelling, (device, irp) -> {});
    cancelling.cancel(null);

    assertThat(fifo.takePendingReadsOf(alice)).isEmpty();
    assertThat(fifo.pendingReadCount()).isEqualTo(1);
  }

  @Test
  void theCancelRoutineTakesItsReadOutOfTheQueueAndOthersKeepTheirPlace() {
    TestIrp first = TestIrp.read(alice, 1);
    TestIrp second = TestIrp.read(bob, 1);
    TestIrp third = TestIrp.read(alice, 1);
    fifo.startRead(first, NEVER_CALLED);
    fifo.startRead(second, (device, irp) -> {});
    fifo.startRead(third, NEVER_CALLED);
    second.cancel(null);

    assertThat(fifo.removeCancelledRead(second)).isTrue();

    assertThat(fifo.removeCancelledRead(second)).as("taken out once").isFalse();
    assertThat(fifo.write(bytes(1, 2), 2).servedReads())
        .extracting(EchoFifo.Completion::irp)
        .containsExactly(first, third);
  }

  // Concurrency ---------------------------------------------------------------------------------

  /**
   * Writers append fixed-size records concurrently with one reader taking odd amounts, waiting
   * when the FIFO is empty: the stream read must be whole records (no write split by another),
   * each writer's in its order, none lost.
   */
  @Test
  @Timeout(30)
  void concurrentWritesArriveWholeAndInEachWritersOrder() throws Exception {
    int writers = 4;
    int recordsPerWriter = 2000;
    int recordSize = 12;
    int total = writers * recordsPerWriter * recordSize;
    EchoFifo fifo = new EchoFifo(1 << 20);
    TestKernel kernel = new TestKernel();
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
                    EchoFifo.Written written = fifo.write(record, record.length);
                    assertThat(written.result()).isEqualTo(IoResult.success(recordSize));
                    for (EchoFifo.Completion served : written.servedReads()) {
                      complete(kernel, served);
                    }
                  }
                  return null;
                }));
      }
      Future<byte[]> reading =
          pool.submit(
              () -> {
                start.await();
                ByteArrayOutputStream stream = new ByteArrayOutputStream();
                while (stream.size() < total) {
                  TestIrp read = TestIrp.read(alice, 7);
                  EchoFifo.ReadStart started = fifo.startRead(read, NEVER_CALLED);
                  if (!started.completesNow()) {
                    assertThat(read.awaitCompleted(Duration.ofSeconds(20))).isTrue();
                  }
                  long n = started.completesNow()
                      ? started.result().information()
                      : read.ioStatus().information();
                  stream.write(read.systemBuffer(), 0, (int) n);
                }
                return stream.toByteArray();
              });
      start.countDown();
      for (Future<?> f : writing) {
        f.get();
      }
      byte[] stream = reading.get();

      assertThat(stream).hasSize(total);
      int[] nextSeq = new int[writers];
      for (int offset = 0; offset < stream.length; offset += recordSize) {
        byte[] got = Arrays.copyOfRange(stream, offset, offset + recordSize);
        int writer = got[0];
        assertThat(writer).isBetween(0, writers - 1);
        assertThat(got).isEqualTo(record(writer, nextSeq[writer], recordSize));
        nextSeq[writer]++;
      }
      assertThat(nextSeq).containsOnly(recordsPerWriter);
      assertThat(fifo.available()).isZero();
      assertThat(fifo.pendingReadCount()).isZero();
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  /**
   * Readers racing for the same bytes each get distinct bytes: nothing is read twice or lost; and
   * once the FIFO is empty, each reader's next read waits instead.
   */
  @Test
  @Timeout(30)
  void concurrentReadersNeverReceiveTheSameByte() throws Exception {
    int total = 200_000;
    EchoFifo fifo = new EchoFifo(total);
    byte[] all = new byte[total];
    for (int i = 0; i < total; i++) {
      all[i] = (byte) (i % 251);
    }
    fifo.write(all, total);
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
                  while (true) {
                    TestIrp read = TestIrp.read(alice, 13);
                    EchoFifo.ReadStart started = fifo.startRead(read, NEVER_CALLED);
                    if (!started.completesNow()) {
                      return new long[] {count, sum};
                    }
                    int n = (int) started.result().information();
                    count += n;
                    for (int i = 0; i < n; i++) {
                      sum += read.systemBuffer()[i] & 0xFF;
                    }
                  }
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
      assertThat(fifo.pendingReadCount()).isEqualTo(readers);
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  /** What the dispatch routine does with a served read, through the fake kernel. */
  private static void complete(TestKernel kernel, EchoFifo.Completion completion) {
    completion.irp().ioStatus().setStatus(completion.result().status());
    completion.irp().ioStatus().setInformation(completion.result().information());
    kernel.services().completeRequest(completion.irp(), 0);
  }

  private static byte[] record(int writer, int seq, int size) {
    ByteBuffer record = ByteBuffer.allocate(size);
    record.put((byte) writer).putInt(seq);
    while (record.hasRemaining()) {
      record.put((byte) (writer * 31 + seq));
    }
    return record.array();
  }

  private static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }
}
