package ntio.kernel.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import ntio.api.DriverInfo;
import ntio.ddk.NtStatus;
import ntio.kernel.security.Sid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link IoManager#driver(String)}: one driver described by name, as {@link IoManager#drivers()} lists it. */
@Timeout(30)
class IoManagerTest {

  @TempDir Path state;

  private IoLab lab;

  @BeforeEach
  void boot() {
    lab = IoLab.boot(state);
    for (String sample : new String[] {"Null", "Echo"}) {
      lab.installSample(sample);
      assertThat(lab.load(sample)).as("NtLoadDriver(%s)", sample).isEqualTo(NtStatus.STATUS_SUCCESS);
    }
  }

  @AfterEach
  void shutDown() {
    lab.close();
  }

  @Test
  void aDriverFoundByItsObjectNameIsDescribedAsTheListDescribesIt() {
    DriverInfo listed = lab.kernel.io().drivers().stream()
        .filter(d -> d.name().equals("\\Driver\\Echo")).findFirst().orElseThrow();

    assertThat(lab.kernel.io().driver("\\Driver\\Echo")).contains(listed);
    assertThat(lab.kernel.io().driver("\\DRIVER\\echo")).as("names compare without regard to case").contains(listed);
  }

  @Test
  void noDriverIsFoundForANameThatIsNotALoadedDriversObject() {
    assertThat(lab.kernel.io().driver("\\Driver\\Filter")).as("never loaded").isEmpty();
    assertThat(lab.kernel.io().driver("\\Device\\Echo")).as("a device, not a driver").isEmpty();
    assertThat(lab.kernel.io().driver("\\Driver")).as("the directory").isEmpty();

    assertThat(lab.unload("Null")).isEqualTo(NtStatus.STATUS_SUCCESS);

    assertThat(lab.kernel.io().driver("\\Driver\\Null")).as("unloaded").isEmpty();
  }

  @Test
  void aDriverWhoseUnloadWaitsForTheLastHandleIsFoundUnloadPendingUntilItCloses() {
    IoLab.Open open = lab.open(lab.kernel.userSession("client", Sid.unixUser(1000)), "\\Device\\Echo", "Echo");

    assertThat(lab.unload("Echo")).isEqualTo(NtStatus.STATUS_SUCCESS);

    assertThat(lab.kernel.io().driver("\\Driver\\Echo")).hasValueSatisfying(echo -> {
      assertThat(echo.unloadPending()).isTrue();
      assertThat(echo.openReferences()).isEqualTo(1);
    });
    assertThat(lab.nt.ntClose(open.client, open.handle)).isEqualTo(NtStatus.STATUS_SUCCESS);
    lab.awaitUnloaded("Echo");
    assertThat(lab.kernel.io().driver("\\Driver\\Echo")).isEmpty();
  }
}
