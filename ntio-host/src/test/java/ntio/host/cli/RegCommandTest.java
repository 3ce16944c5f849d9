package ntio.host.cli;

import static ntio.host.cli.CliHarness.embedded;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegCommandTest {

  @TempDir Path state;

  @Test
  void dataWithoutAValueNameIsAUsageErrorAndChangesNothing() {
    CliHarness.Result added = embedded(state, "reg", "add", "HKLM\\SOFTWARE\\Thing", "--data", "x");

    assertThat(added.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(added.err()).contains("--value");
    assertThat(embedded(state, "reg", "query", "HKLM\\SOFTWARE\\Thing").exitCode()).isEqualTo(ExitCodes.NT_FAILURE);
  }

  @Test
  void deletingALinkKeyDeletesTheLinkAndNotItsTarget() {
    assertThat(embedded(state, "reg", "add", "HKLM\\SYSTEM\\CurrentControlSet\\Services\\Echo",
        "--value", "Start", "--type", "REG_DWORD", "--data", "3").exitCode()).isZero();

    assertThat(embedded(state, "reg", "delete", "HKLM\\SYSTEM\\CurrentControlSet").exitCode()).isZero();

    CliHarness.Result target = embedded(state, "reg", "query", "HKLM\\SYSTEM\\ControlSet001\\Services\\Echo");
    assertThat(target.exitCode()).isZero();
    assertThat(target.out()).contains("Start    REG_DWORD    0x3");
  }

  @Test
  void aMissingValueIsNamedInTheError() {
    CliHarness.Result query = embedded(state, "reg", "query", "HKLM\\SYSTEM\\Select", "--value", "Nope");

    assertThat(query.exitCode()).isEqualTo(ExitCodes.NT_FAILURE);
    assertThat(query.err()).contains("value Nope").contains("STATUS_OBJECT_NAME_NOT_FOUND (0xC0000034)");
  }

  @Test
  void theDeepestKeyTheRegistryAllowsIsAddedOneDeeperIsRefusedAndTheChainDeletes() {
    // \REGISTRY\MACHINE\SOFTWARE is level 3: 508 more components reach level 511, the deepest.
    String deepest = "HKLM\\SOFTWARE" + "\\k".repeat(508);

    assertThat(embedded(state, "reg", "add", deepest).exitCode()).isZero();
    CliHarness.Result tooDeep = embedded(state, "reg", "add", deepest + "\\k");
    assertThat(tooDeep.exitCode()).isEqualTo(ExitCodes.NT_FAILURE);
    assertThat(tooDeep.err()).contains("STATUS_INSUFFICIENT_RESOURCES (0xC000009A)");

    assertThat(embedded(state, "reg", "delete", "HKLM\\SOFTWARE\\k").exitCode()).isZero();
    assertThat(embedded(state, "reg", "query", "HKLM\\SOFTWARE\\k").exitCode())
        .isEqualTo(ExitCodes.NT_FAILURE);
  }
}
