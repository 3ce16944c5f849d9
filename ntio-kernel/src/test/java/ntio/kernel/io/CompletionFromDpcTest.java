package ntio.kernel.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import ntio.api.IoResult;
import ntio.ddk.Handle;
import ntio.ddk.Irql;
import ntio.ddk.NtStatus;
import ntio.kernel.io.dpctests.DpcReadDriver;
import ntio.kernel.process.KThread;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code IoCompleteRequest} at DISPATCH_LEVEL, through the real image {@code DpcRead.jar} ({@link
 * DpcReadDriver}): a driver that pends a client's read and completes it from a DPC or a timer's
 * DPC gives the client its data and status, and the I/O manager's last stage (NT's {@code
 * IopCompleteRequest}, an APC on the requesting thread) runs at PASSIVE_LEVEL, never in the DPC;
 * a work item a DPC queues runs at PASSIVE_LEVEL.
 */
@Timeout(30)
class CompletionFromDpcTest {

  private static final Duration SHORT = Duration.ofSeconds(10);

  @TempDir Path state;
  private IoLab lab;
  private KThread client;
  private Handle device;

  @BeforeEach
  void boot() {
    lab = IoLab.boot(state);
    client = lab.userClient();
    lab.loadImage("DpcRead", DpcReadDriver.class);
    device = lab.openReadWrite(client, DpcReadDriver.DEVICE);
  }

  @AfterEach
  void shutDown() {
    lab.close();
  }

  private static String text(byte[] data) {
    return new String(data, StandardCharsets.US_ASCII);
  }

  @Test
  void aSynchronousReadCompletedFromADpcReturnsTheDataAndStatusTheDpcGave() {
    IoResult read = lab.nt.ntReadFile(client, device, 64, 0);

    assertThat(read.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(text(read.data())).isEqualTo("DPC at DISPATCH_LEVEL");
    assertThat(read.information()).isEqualTo("DPC at DISPATCH_LEVEL".length());
    assertThat(lab.kernel.bugChecks().first()).isEmpty();
  }

  @Test
  void anOverlappedReadCompletedFromADpcFinishesWithItsApcAtPassiveLevel() {
    AtomicReference<Irql> apcIrql = new AtomicReference<>();
    AtomicReference<Boolean> apcInDpc = new AtomicReference<>();

    IoRequest read = lab.nt.ntReadFileAsync(client, device, 64, 0, finished -> {
      apcIrql.set(lab.kernel.io().irqls().current());
      apcInDpc.set(lab.kernel.io().irqls().state().inDpc());
    });

    assertThat(read.await(SHORT)).isTrue();
    assertThat(read.returnedStatus()).isEqualTo(NtStatus.STATUS_PENDING);
    assertThat(read.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(text(read.data())).isEqualTo("DPC at DISPATCH_LEVEL");
    assertThat(read.ioStatusWritten()).isTrue();
    IoLab.await("the read's APC", () -> apcIrql.get() != null);
    assertThat(apcIrql.get()).as("IopCompleteRequest's stage runs as an APC, not in the DPC")
        .isEqualTo(Irql.PASSIVE_LEVEL);
    assertThat(apcInDpc.get()).isFalse();
  }

  @Test
  void aReadCompletedFromATimersDpcGivesTheClientItsData() {
    IoResult read = lab.nt.ntReadFile(client, device, 64, 1);

    assertThat(read.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(text(read.data())).isEqualTo("timer DPC at DISPATCH_LEVEL");
  }

  @Test
  void aWorkItemQueuedFromADpcRunsAtPassiveLevelAndCompletesTheRequest() {
    IoResult control = lab.nt.ntDeviceIoControlFile(client, device, 0x00222000, new byte[0], 64);

    assertThat(control.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(text(control.data())).isEqualTo("work item at PASSIVE_LEVEL");
  }

  @Test
  void theDriverUnloadsCleanlyAfterCancellingItsTimerAndFlushingItsDpcs() {
    assertThat(lab.nt.ntReadFile(client, device, 64, 0).status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(lab.nt.ntReadFile(client, device, 64, 1).status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    lab.nt.ntClose(client, device);

    assertThat(lab.unload("DpcRead")).isEqualTo(NtStatus.STATUS_SUCCESS);
    lab.awaitUnloaded("DpcRead");

    assertThat(lab.kernel.bugChecks().first()).isEmpty();
  }
}
