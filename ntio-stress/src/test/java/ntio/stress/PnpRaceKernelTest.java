package ntio.stress;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Each order of the two removal races, one at a time, and the pool the races draw from. */
@Timeout(60)
class PnpRaceKernelTest {

  private PnpRaceKernel kernel;

  @BeforeEach
  void boot() {
    kernel = PnpRaceKernel.boot();
  }

  @AfterEach
  void shutdown() {
    kernel.close();
  }

  @Test
  void B40_closingFirstLetsTheRemovalSendOneRemoveDeviceAndUnloadTheDriver() {
    PnpRaceKernel.Race race = kernel.arm();

    assertThat(race.closeDevice()).isTrue();
    assertThat(race.removeDevice()).isEqualTo(1);

    assertThat(race.judge()).isEqualTo(new PnpRaceKernel.Verdict(1, 0, 1, false, true));
  }

  @Test
  void B40_removingFirstIsVetoedByTheOpenHandleAndTheDeviceStaysUsable() {
    PnpRaceKernel.Race race = kernel.arm();

    assertThat(race.removeDevice()).isZero();
    assertThat(race.closeDevice()).isTrue();

    assertThat(race.judge()).isEqualTo(new PnpRaceKernel.Verdict(0, 0, 0, true, false));
  }

  @Test
  void T40_closingFirstThenSurpriseRemovalSendsOneRemoveDevice() {
    PnpRaceKernel.Race race = kernel.arm();

    assertThat(race.closeDevice()).isTrue();
    assertThat(race.surpriseRemove()).isTrue();

    assertThat(race.judge()).isEqualTo(new PnpRaceKernel.Verdict(1, 0, 1, false, true));
  }

  @Test
  void T40_surpriseRemovalFirstSendsRemoveDeviceOnlyAfterTheLastClose() {
    PnpRaceKernel.Race race = kernel.arm();

    assertThat(race.surpriseRemove()).isTrue();
    assertThat(race.closeDevice()).isTrue();

    assertThat(race.judge()).isEqualTo(new PnpRaceKernel.Verdict(1, 0, 1, false, true));
  }

  @Test
  void aServiceWhoseRaceEndedCleanlyIsArmedAgainEvenAfterAVeto() {
    PnpRaceKernel.Race vetoed = kernel.arm();
    vetoed.removeDevice();
    vetoed.closeDevice();
    vetoed.judge();

    PnpRaceKernel.Race again = kernel.arm();

    assertThat(again.service()).isEqualTo(vetoed.service());
    assertThat(again.instancePath()).isEqualTo(vetoed.instancePath());
    again.closeDevice();
    again.removeDevice();
    assertThat(again.judge()).isEqualTo(new PnpRaceKernel.Verdict(1, 0, 1, false, true));
  }
}
