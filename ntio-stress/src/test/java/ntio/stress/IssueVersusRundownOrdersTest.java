package ntio.stress;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The two orders of the issue-versus-rundown race, one at a time, on the pool of Echo kernels. */
@Timeout(60)
class IssueVersusRundownOrdersTest {

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
  void aReadIssuedBeforeTheRundownIsCancelledByItAndEchoIsLeftWithThePoolsOwnOpen() {
    EchoKernels.DoomedClient client = kernels.doom();

    client.issue();
    client.runDown();

    assertThat(client.judge()).isEqualTo(new EchoKernels.RundownVerdict(EchoKernels.READ_CANCELLED, 1, 0));
  }

  @Test
  void aReadIssuedAfterTheRundownIsRefusedAndTheKernelGoesBackToThePool() {
    EchoKernels.DoomedClient first = kernels.doom();
    first.runDown();
    first.issue();

    assertThat(first.judge()).isEqualTo(new EchoKernels.RundownVerdict(EchoKernels.RundownVerdict.REFUSED, 1, 0));
    kernels.doom().runDown();
    assertThat(kernels.kernels()).isEqualTo(1);
  }
}
