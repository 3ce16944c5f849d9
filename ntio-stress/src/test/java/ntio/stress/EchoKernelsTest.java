package ntio.stress;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import ntio.ddk.NtStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The two orders of the completion-versus-cancel race, one at a time, and the pool of kernels. */
@Timeout(60)
class EchoKernelsTest {

  private EchoKernels kernels;

  @BeforeEach
  void create() {
    kernels = EchoKernels.create();
  }

  @AfterEach
  void close() {
    kernels.close();
  }

  @Test
  void anArmedRaceHasAOneByteReadPendingOnAnEmptyFifo() {
    EchoKernels.PendingRead read = kernels.arm();

    assertThat(read.request().status()).isEqualTo(NtStatus.STATUS_PENDING);
    assertThat(read.request().isComplete()).isFalse();
  }

  @Test
  void writingFirstCompletesTheReadWithTheByteAndLeavesTheFifoEmpty() {
    EchoKernels.PendingRead read = kernels.arm();

    read.write();
    assertThat(read.request().await(Duration.ofSeconds(10))).isTrue();
    read.cancel();

    assertThat(read.judge()).isEqualTo(EchoKernels.Verdict.COMPLETED);
    assertThat(read.request().data()).containsExactly(EchoKernels.MARK);
  }

  @Test
  void cancellingFirstCompletesTheReadCancelledAndTheWriteLeavesItsByteInTheFifo() {
    EchoKernels.PendingRead read = kernels.arm();

    read.cancel();
    assertThat(read.request().status()).isEqualTo(NtStatus.STATUS_CANCELLED);
    read.write();

    assertThat(read.judge()).isEqualTo(EchoKernels.Verdict.CANCELLED);
  }

  @Test
  void aKernelWhoseRaceEndedCleanlyIsArmedAgainWithItsFifoDrained() {
    EchoKernels.PendingRead first = kernels.arm();
    first.cancel();
    first.write();
    assertThat(first.judge()).isEqualTo(EchoKernels.Verdict.CANCELLED);

    EchoKernels.PendingRead second = kernels.arm();

    assertThat(second.kernel()).isSameAs(first.kernel());
    assertThat(second.request().status()).isEqualTo(NtStatus.STATUS_PENDING);
    second.write();
    second.cancel();
    assertThat(second.judge()).isEqualTo(EchoKernels.Verdict.COMPLETED);
    assertThat(kernels.kernels()).isEqualTo(1);
  }

  @Test
  void racesArmedTogetherGetKernelsOfTheirOwnSoOneWriteCompletesOnlyItsOwnRead() {
    EchoKernels.PendingRead first = kernels.arm();
    EchoKernels.PendingRead second = kernels.arm();

    assertThat(second.kernel()).isNotSameAs(first.kernel());
    second.write();
    assertThat(second.request().await(Duration.ofSeconds(10))).isTrue();
    assertThat(first.request().status()).isEqualTo(NtStatus.STATUS_PENDING);
    second.cancel();
    first.cancel();
    first.write();

    assertThat(second.judge()).isEqualTo(EchoKernels.Verdict.COMPLETED);
    assertThat(first.judge()).isEqualTo(EchoKernels.Verdict.CANCELLED);
  }

  @Test
  void aReadThatNeverCompletesIsJudgedPendingAndItsKernelIsNotReused() {
    kernels.close();
    kernels = EchoKernels.create(Duration.ofMillis(200));
    EchoKernels.PendingRead read = kernels.arm();

    // Neither actor ran: nothing completes the read, and the judge gives up after its wait.
    EchoKernels.Verdict verdict = read.judge();

    assertThat(verdict.read()).isEqualTo(EchoKernels.READ_PENDING);
    assertThat(verdict.apcs()).isZero();
    assertThat(verdict.acceptable()).isFalse();
    assertThat(kernels.kernels()).isZero();
  }
}
