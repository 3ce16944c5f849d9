package ntio.stress;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The orders of {@link ReloadAfterLastClose}'s races, one at a time: the other client's call before
 * the last close, and after the reload. Each ends as one of the race's acceptable outcomes.
 */
@Timeout(60)
class ReloadRaceTest {

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
  void anArmedRaceHasItsUnloadDeferredByTheOpenDevice() {
    ReloadRace race = new ReloadRace(kernel);

    assertThat(kernel.isLoaded(race.service())).isTrue();
    assertThat(kernel.unloadValues(race.service())).isEmpty();
  }

  @Test
  void anOpenBeforeTheLastCloseIsRefusedAndTheReloadSucceeds() {
    ReloadRace race = new ReloadRace(kernel);

    assertThat(race.otherOpens()).isEqualTo("STATUS_NO_SUCH_DEVICE");
    assertThat(race.closeThenReload()).isEqualTo("STATUS_SUCCESS");

    assertThat(race.judge()).isEqualTo(ReloadRace.LOADED);
  }

  @Test
  void anOpenAfterTheReloadOpensTheNewDeviceAndTheJudgeClosesIt() {
    ReloadRace race = new ReloadRace(kernel);

    assertThat(race.closeThenReload()).isEqualTo("STATUS_SUCCESS");
    assertThat(race.otherOpens()).isEqualTo("STATUS_SUCCESS");

    assertThat(race.judge()).isEqualTo(ReloadRace.LOADED);
    assertThat(kernel.isPresent(race.service())).as("unloaded by the judge, its open closed").isFalse();
  }

  @Test
  void aLoadBeforeTheLastCloseFindsTheOldImageAndTheReloadSucceeds() {
    ReloadRace race = new ReloadRace(kernel);

    assertThat(race.otherLoads()).isEqualTo("STATUS_IMAGE_ALREADY_LOADED");
    assertThat(race.closeThenReload()).isEqualTo("STATUS_SUCCESS");

    assertThat(race.judge()).isEqualTo(ReloadRace.LOADED);
  }

  @Test
  void aLoadAfterTheReloadFindsTheNewImage() {
    ReloadRace race = new ReloadRace(kernel);

    assertThat(race.closeThenReload()).isEqualTo("STATUS_SUCCESS");
    assertThat(race.otherLoads()).isEqualTo("STATUS_IMAGE_ALREADY_LOADED");

    assertThat(race.judge()).isEqualTo(ReloadRace.LOADED);
  }

  @Test
  void anUnloadBeforeTheLastCloseIsDeferredAgainAndTheReloadSucceeds() {
    ReloadRace race = new ReloadRace(kernel);

    assertThat(race.otherUnloads()).isEqualTo("STATUS_SUCCESS");
    assertThat(race.closeThenReload()).isEqualTo("STATUS_SUCCESS");

    assertThat(race.judge()).isEqualTo(ReloadRace.LOADED);
    assertThat(kernel.unloadValues(race.service())).as("recycled: its DriverUnload values deleted").isEmpty();
  }

  @Test
  void anUnloadAfterTheReloadUnloadsTheReloadedDriverAtOnce() {
    ReloadRace race = new ReloadRace(kernel);

    assertThat(race.closeThenReload()).isEqualTo("STATUS_SUCCESS");
    assertThat(race.otherUnloads()).isEqualTo("STATUS_SUCCESS");

    assertThat(race.judge()).isEqualTo(ReloadRace.GONE);
  }

  @Test
  void aServiceWhoseRaceEndedIsArmedAgain() {
    ReloadRace first = new ReloadRace(kernel);
    first.closeThenReload();
    first.judge();

    ReloadRace second = new ReloadRace(kernel);

    assertThat(second.service()).isEqualTo(first.service());
    assertThat(second.closeThenReload()).isEqualTo("STATUS_SUCCESS");
    assertThat(second.judge()).isEqualTo(ReloadRace.LOADED);
  }
}
