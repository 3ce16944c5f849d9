package ntio.stress;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The two orders of the race, one at a time, and the pool the races draw from. */
@Timeout(60)
class RaceKernelTest {

  private RaceKernel kernel;

  @BeforeEach
  void boot() {
    kernel = RaceKernel.boot();
  }

  @AfterEach
  void shutdown() {
    kernel.close();
  }

  @Test
  void B19_closingFirstLetsTheUnloadRunDriverUnloadAtOnce() {
    RaceKernel.Race race = kernel.arm();

    assertThat(race.closeDevice()).isTrue();
    assertThat(race.unloadDriver()).isTrue();

    assertThat(kernel.isPresent(race.service())).isFalse();
    assertThat(kernel.unloadValues(race.service())).containsExactly("DriverUnload1");
    assertThat(race.judge()).isEqualTo(new RaceKernel.Verdict(1, true));
  }

  @Test
  void B20_unloadingFirstDefersDriverUnloadToTheLastClose() {
    RaceKernel.Race race = kernel.arm();

    assertThat(race.unloadDriver()).isTrue();
    assertThat(kernel.isPresent(race.service())).isTrue();
    assertThat(kernel.unloadValues(race.service())).isEmpty();

    assertThat(race.closeDevice()).isTrue();
    assertThat(race.judge()).isEqualTo(new RaceKernel.Verdict(1, true));
  }

  @Test
  void aServiceWhoseRaceEndedCleanlyIsArmedAgainWithItsRecordCleared() {
    RaceKernel.Race first = kernel.arm();
    first.closeDevice();
    first.unloadDriver();
    first.judge();

    RaceKernel.Race second = kernel.arm();

    assertThat(second.service()).isEqualTo(first.service());
    assertThat(kernel.unloadValues(second.service())).isEmpty();
    assertThat(kernel.isPresent(second.service())).isTrue();
    second.closeDevice();
    second.unloadDriver();
    assertThat(second.judge()).isEqualTo(new RaceKernel.Verdict(1, true));
  }

  @Test
  void racesArmedTogetherGetServicesOfTheirOwn() {
    RaceKernel.Race first = kernel.arm();
    RaceKernel.Race second = kernel.arm();

    assertThat(second.service().name()).isNotEqualTo(first.service().name());
    for (RaceKernel.Race race : new RaceKernel.Race[] {first, second}) {
      race.closeDevice();
      race.unloadDriver();
      assertThat(race.judge()).isEqualTo(new RaceKernel.Verdict(1, true));
    }
  }
}
