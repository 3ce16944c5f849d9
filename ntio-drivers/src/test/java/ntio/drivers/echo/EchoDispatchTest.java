package ntio.drivers.echo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import ntio.ddk.DeviceObject;
import ntio.ddk.FileObject;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;
import ntio.ddk.testkit.TestIrp;
import ntio.ddk.testkit.TestKernel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class EchoDispatchTest {

  private final EchoFifo fifo = new EchoFifo(8);
  private final TestKernel kernel = new TestKernel();
  private final DeviceObject device = kernel.device("\\Device\\Echo", fifo);
  private final EchoDispatch dispatch = new EchoDispatch(kernel.services());
  private final FileObject alice = TestKernel.file("alice");
  private final FileObject bob = TestKernel.file("bob");

  /** Every test also proves that no request is completed while the FIFO's lock is held. */
  @BeforeEach
  void completionsProbeTheFifoLockFromAnotherThread() {
    kernel.beforeEachCompletion(
        irp -> {
          try {
            CompletableFuture.supplyAsync(fifo::available).get(5, TimeUnit.SECONDS);
          } catch (TimeoutException e) {
            throw new AssertionError(irp + " completed while the FIFO's lock was held", e);
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        });
  }

  @Test
  void aWriteSucceedsWithItsLengthAndAReadReturnsTheBytes() {
    TestIrp write = TestIrp.write(alice, new byte[] {10, 20, 30});
    TestIrp read = TestIrp.read(bob, 5);

    NtStatus written = dispatch.write(device, write);
    NtStatus returned = dispatch.read(device, read);

    assertThat(written).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(write.ioStatus().information()).isEqualTo(3);
    assertThat(returned).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(read.ioStatus().status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(read.ioStatus().information()).isEqualTo(3);
    assertThat(read.systemBuffer()).startsWith(10, 20, 30);
    assertThat(kernel.completed()).containsExactly(write, read);
  }

  @Test
  void aReadOfAnEmptyDeviceReturnsPendingAndIsNotCompleted() {
    TestIrp read = TestIrp.read(alice, 4);

    NtStatus returned = dispatch.read(device, read);

    assertThat(returned).isEqualTo(NtStatus.STATUS_PENDING);
    assertThat(read.isMarkedPending()).isTrue();
    assertThat(read.completions()).isZero();
    assertThat(fifo.pendingReadCount()).isEqualTo(1);
  }

  @Test
  void aWriteCompletesTheReadsItServesOldestFirstAndThenItself() {
    TestIrp first = TestIrp.read(alice, 2);
    TestIrp second = TestIrp.read(bob, 4);
    dispatch.read(device, first);
    dispatch.read(device, second);
    TestIrp write = TestIrp.write(alice, new byte[] {1, 2, 3});

    NtStatus written = dispatch.write(device, write);

    assertThat(written).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(kernel.completed()).containsExactly(first, second, write);
    assertThat(first.ioStatus().information()).isEqualTo(2);
    assertThat(first.systemBuffer()).containsExactly(1, 2);
    assertThat(second.ioStatus().status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(second.ioStatus().information()).isEqualTo(1);
    assertThat(second.systemBuffer()).startsWith(3);
  }

  @Test
  void aWriteBeyondTheCapacityFailsWithInsufficientResourcesAndAppendsNothing() {
    dispatch.write(device, TestIrp.write(alice, new byte[6]));
    TestIrp write = TestIrp.write(alice, new byte[3]);

    NtStatus written = dispatch.write(device, write);

    assertThat(written).isEqualTo(NtStatus.STATUS_INSUFFICIENT_RESOURCES);
    assertThat(write.ioStatus().information()).isZero();
    assertThat(fifo.available()).isEqualTo(6);
  }

  @Test
  void aCancelledReadCompletesWithCancelledAndNoBytes() {
    TestIrp read = TestIrp.read(alice, 4);
    dispatch.read(device, read);

    assertThat(read.cancel(device)).isTrue();

    assertThat(read.ioStatus().status()).isEqualTo(NtStatus.STATUS_CANCELLED);
    assertThat(read.ioStatus().information()).isZero();
    assertThat(read.completions()).isEqualTo(1);
    assertThat(fifo.pendingReadCount()).isZero();
  }

  @Test
  void aReadCancelledBeforeItWasQueuedIsCompletedCancelledAndItsDispatchStillReturnsPending() {
    TestIrp read = TestIrp.read(alice, 4);
    read.markCancelled();

    NtStatus returned = dispatch.read(device, read);

    assertThat(returned).isEqualTo(NtStatus.STATUS_PENDING);
    assertThat(read.ioStatus().status()).isEqualTo(NtStatus.STATUS_CANCELLED);
    assertThat(read.completions()).isEqualTo(1);
    assertThat(fifo.pendingReadCount()).isZero();
  }

  @Test
  @Timeout(10)
  void aReadCancelledJustAfterItsRoutineWasSetIsCompletedOnceByThatRoutine() throws Exception {
    TestIrp read = TestIrp.read(alice, 4);
    read.cancelRightAfterACancelRoutineIsSet(device);

    NtStatus returned = dispatch.read(device, read);

    assertThat(returned).isEqualTo(NtStatus.STATUS_PENDING);
    assertThat(read.awaitCompleted(Duration.ofSeconds(5))).isTrue();
    assertThat(read.completions()).isEqualTo(1);
    assertThat(read.ioStatus().status()).isEqualTo(NtStatus.STATUS_CANCELLED);
    assertThat(fifo.pendingReadCount()).isZero();
  }

  @Test
  void aReadServedByAWriteCanNoLongerBeCancelled() {
    TestIrp read = TestIrp.read(alice, 4);
    dispatch.read(device, read);
    dispatch.write(device, TestIrp.write(bob, new byte[] {7}));

    assertThat(read.cancel(device)).as("no cancel routine to call").isFalse();

    assertThat(read.completions()).isEqualTo(1);
    assertThat(read.ioStatus().status()).isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  @Test
  void cleanupCancelsTheWaitingReadsOfTheClosingFileOnlyThenSucceeds() {
    TestIrp alice1 = TestIrp.read(alice, 1);
    TestIrp bob1 = TestIrp.read(bob, 1);
    TestIrp alice2 = TestIrp.read(alice, 1);
    dispatch.read(device, alice1);
    dispatch.read(device, bob1);
    dispatch.read(device, alice2);
    TestIrp cleanup = TestIrp.of(MajorFunctions.IRP_MJ_CLEANUP, alice);

    NtStatus returned = dispatch.cleanup(device, cleanup);

    assertThat(returned).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(kernel.completed()).containsExactly(alice1, alice2, cleanup);
    assertThat(alice1.ioStatus().status()).isEqualTo(NtStatus.STATUS_CANCELLED);
    assertThat(alice2.ioStatus().status()).isEqualTo(NtStatus.STATUS_CANCELLED);
    assertThat(alice2.ioStatus().information()).isZero();
    assertThat(cleanup.ioStatus().status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(bob1.completions()).isZero();
    assertThat(fifo.pendingReadCount()).isEqualTo(1);
  }

  @Test
  void cleanupOfAFileWithNoWaitingReadOnlySucceeds() {
    TestIrp cleanup = TestIrp.of(MajorFunctions.IRP_MJ_CLEANUP, alice);

    assertThat(dispatch.cleanup(device, cleanup)).isEqualTo(NtStatus.STATUS_SUCCESS);

    assertThat(kernel.completed()).containsExactly(cleanup);
  }

  /**
   * A write races the cancel of the read it would serve: the read is completed exactly once, by
   * the write or by its cancel routine, and the byte is either read or still in the FIFO.
   */
  @Test
  @Timeout(30)
  void aWriteRacingACancelCompletesTheReadExactlyOnce() throws Exception {
    kernel.beforeEachCompletion(irp -> {});
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 2000; round++) {
        EchoFifo fifo = new EchoFifo(16);
        DeviceObject device = kernel.device("\\Device\\Echo", fifo);
        TestIrp read = TestIrp.read(alice, 1);
        assertThat(dispatch.read(device, read)).isEqualTo(NtStatus.STATUS_PENDING);
        CountDownLatch go = new CountDownLatch(1);
        Future<NtStatus> writing =
            pool.submit(
                () -> {
                  go.await();
                  return dispatch.write(device, TestIrp.write(bob, new byte[] {1}));
                });
        Future<Boolean> cancelling =
            pool.submit(
                () -> {
                  go.await();
                  return read.cancel(device);
                });
        go.countDown();

        assertThat(writing.get()).isEqualTo(NtStatus.STATUS_SUCCESS);
        boolean routineCalled = cancelling.get();
        assertThat(read.awaitCompleted(Duration.ofSeconds(10))).isTrue();
        assertThat(read.completions()).isEqualTo(1);
        assertThat(fifo.pendingReadCount()).isZero();
        if (read.ioStatus().status().equals(NtStatus.STATUS_SUCCESS)) {
          assertThat(read.ioStatus().information()).isEqualTo(1);
          assertThat(fifo.available()).isZero();
        } else {
          assertThat(read.ioStatus().status()).isEqualTo(NtStatus.STATUS_CANCELLED);
          assertThat(routineCalled).as("only the cancel routine completes it cancelled").isTrue();
          assertThat(fifo.available()).isEqualTo(1);
        }
      }
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void queryAvailableAnswersTheCountAsFourLittleEndianBytes() {
    dispatch.write(device, TestIrp.write(alice, new byte[] {1, 2, 3, 4, 5}));
    byte[] systemBuffer = {-1, -1, -1, -1, -1, -1};

    IoResult answer =
        EchoDispatch.deviceControl(fifo, EchoIoctl.IOCTL_ECHO_QUERY_AVAILABLE, 6, systemBuffer);

    assertThat(answer).isEqualTo(new IoResult(NtStatus.STATUS_SUCCESS, 4));
    assertThat(systemBuffer).containsExactly(5, 0, 0, 0, -1, -1);
  }

  @Test
  void queryAvailableWithAnOutputBufferBelowFourBytesIsBufferTooSmall() {
    byte[] systemBuffer = {-1, -1, -1, -1};

    IoResult answer =
        EchoDispatch.deviceControl(fifo, EchoIoctl.IOCTL_ECHO_QUERY_AVAILABLE, 3, systemBuffer);

    assertThat(answer).isEqualTo(new IoResult(NtStatus.STATUS_BUFFER_TOO_SMALL, 0));
    assertThat(systemBuffer).containsExactly(-1, -1, -1, -1);
  }

  @Test
  void anyOtherControlCodeIsAnInvalidDeviceRequest() {
    IoResult answer =
        EchoDispatch.deviceControl(
            fifo, EchoIoctl.IOCTL_ECHO_QUERY_AVAILABLE + 4, 4, new byte[4]);

    assertThat(answer).isEqualTo(new IoResult(NtStatus.STATUS_INVALID_DEVICE_REQUEST, 0));
  }
}
