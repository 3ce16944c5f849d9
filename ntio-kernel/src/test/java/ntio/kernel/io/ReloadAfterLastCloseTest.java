package ntio.kernel.io;

import static ntio.ddk.NtStatus.STATUS_SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import ntio.ddk.Handle;
import ntio.ddk.RegValue;
import ntio.kernel.io.unloadtests.scripted.ScriptedNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deferred unload finishes within the close that triggers it (NT's IopCompleteUnloadOrDelete):
 * when the last NtClose returns, DriverUnload has run and the image is unmapped, so an
 * NtLoadDriver of the same service right after it loads the driver again — never
 * STATUS_IMAGE_ALREADY_LOADED, which it was 2 to 10 times in 50 while the unload ran later on a
 * worker. docs/drivers.md shows this sequence.
 */
@Timeout(120)
class ReloadAfterLastCloseTest {

  private static final int ROUNDS = 50;

  @TempDir
  Path state;

  private UnloadFixture f;

  @BeforeEach
  void boot() {
    f = UnloadFixture.boot(state);
  }

  @AfterEach
  void shutdown() {
    f.close();
  }

  @Test
  void B20_aLoadRightAfterTheLastCloseOfADeferredUnloadLoadsTheDriverAgain() {
    f.installScripted("UnlReload", RegValue.string(ScriptedNames.DEVICE_NAME, "\\Device\\UnlReload"));
    for (int round = 1; round <= ROUNDS; round++) {
      assertThat(f.load("UnlReload")).as("load %d", round).isEqualTo(STATUS_SUCCESS);
      Handle handle = f.open(f.admin, "\\Device\\UnlReload");
      assertThat(f.unload("UnlReload")).as("the unload deferred by the open handle, round %d", round)
          .isEqualTo(STATUS_SUCCESS);

      f.close(handle);

      assertThat(f.observed("UnlReload", ScriptedNames.UNLOADS)).as("DriverUnload ran within the close, round %d", round)
          .isEqualTo(round);
      assertThat(f.imageLoaded("UnlReload.jar")).as("the image is unmapped within the close, round %d", round).isFalse();
    }
    assertThat(f.load("UnlReload")).isEqualTo(STATUS_SUCCESS);
  }
}
