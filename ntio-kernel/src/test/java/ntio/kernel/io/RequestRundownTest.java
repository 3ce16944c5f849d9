package ntio.kernel.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import ntio.api.IoResult;
import ntio.ddk.NtStatus;
import ntio.kernel.process.KThread;
import ntio.kernel.security.Sid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client request issued while its process is being run down is refused or cancelled by the
 * rundown, never orphaned: an orphaned read would hold Echo's file object open for ever, so Echo's
 * open count would never return to 0 and Echo could never unload.
 */
@Timeout(120)
class RequestRundownTest {

  private static final Duration SETTLE = Duration.ofSeconds(10);

  /** How many processes race their rundown against their own reads. */
  private static final int ROUNDS = 300;

  /** How many overlapped reads each racing process issues. */
  private static final int READS_PER_ROUND = 3;

  @TempDir Path state;

  private IoLab lab;

  @BeforeEach
  void bootWithEcho() {
    lab = IoLab.boot(state);
    lab.installSample("Echo");
    assertThat(lab.load("Echo")).isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  @AfterEach
  void shutDown() {
    lab.close();
  }

  private int echoOpens() {
    IoManager.DeviceLookup echo = lab.kernel.io().describeDevice("\\Device\\Echo");
    assertThat(echo.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    return echo.device().referenceCount();
  }

  @Test
  void anOverlappedReadIssuedOnceItsProcessBeganTerminatingIsRefusedBeforeAnyDriverSeesIt() {
    KThread client = lab.kernel.userSession("late", Sid.unixUser(2001));
    IoLab.Open echo = lab.open(client, "\\Device\\Echo", "Echo");
    AtomicReference<IoRequest> late = new AtomicReference<>();
    // A rundown hook runs while the process is terminating and its handles are still open: the
    // moment a concurrent call that passed every other check reaches the I/O manager.
    client.process().onRundown(process ->
        late.set(lab.nt.ntReadFileAsync(client, echo.handle, 1, 0, null)));

    lab.kernel.processes().terminate(client.process(), NtStatus.STATUS_SUCCESS);

    assertThat(late.get().isComplete()).isTrue();
    assertThat(late.get().status()).isEqualTo(NtStatus.STATUS_PROCESS_IS_TERMINATING);
    assertThat(echoOpens()).isZero();
  }

  @Test
  void aSynchronousReadThatPendsOnceItsProcessBeganTerminatingIsCancelledNotLeftWaiting() {
    KThread client = lab.kernel.userSession("late", Sid.unixUser(2001));
    IoLab.Open echo = lab.open(client, "\\Device\\Echo", "Echo");
    AtomicReference<IoResult> late = new AtomicReference<>();
    client.process().onRundown(process -> late.set(lab.nt.ntReadFile(client, echo.handle, 1, 0)));

    lab.kernel.processes().terminate(client.process(), NtStatus.STATUS_SUCCESS);

    assertThat(late.get().status()).isEqualTo(NtStatus.STATUS_CANCELLED);
    assertThat(echoOpens()).isZero();
  }

  @Test
  void readsIssuedWhileTheirProcessIsRunDownAreRefusedOrCancelledAndEchoUnloadsAfterwards()
      throws InterruptedException {
    List<IoRequest> all = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      KThread client = lab.kernel.userSession("racer" + round, Sid.unixUser(2001));
      IoLab.Open echo = lab.open(client, "\\Device\\Echo", "Echo");
      CountDownLatch go = new CountDownLatch(1);
      List<IoRequest> issued = new ArrayList<>();
      Thread issuer = new Thread(() -> {
        awaitQuietly(go);
        for (int i = 0; i < READS_PER_ROUND; i++) {
          issued.add(lab.nt.ntReadFileAsync(client, echo.handle, 1, 0, null));
        }
      });
      issuer.start();
      go.countDown();
      lab.kernel.processes().terminate(client.process(), NtStatus.STATUS_SUCCESS);
      issuer.join();
      all.addAll(issued);
    }

    for (IoRequest request : all) {
      assertThat(request.await(SETTLE)).as("%s completed", request).isTrue();
      assertThat(request.status()).as("how %s ended", request).isIn(NtStatus.STATUS_CANCELLED,
          NtStatus.STATUS_PROCESS_IS_TERMINATING, NtStatus.STATUS_INVALID_HANDLE);
    }
    assertThat(lab.kernel.io().fileCalls().abandoned()).isEmpty();
    assertThat(echoOpens()).as("Echo's open count").isZero();
    assertThat(lab.unload("Echo")).isEqualTo(NtStatus.STATUS_SUCCESS);
    lab.awaitUnloaded("Echo");
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
