package ntio.host.cli;

import static ntio.host.cli.CliHarness.embedded;
import static ntio.host.cli.CliHarness.sampleImage;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import ntio.api.OpenResult;
import ntio.ddk.AccessMask;
import ntio.ddk.ObjectAttributes;
import ntio.host.cli.CliHarness.Result;
import ntio.host.cli.CliHarness.RunningKernel;
import ntio.kernel.LocalNt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ntio driverquery}: the loaded drivers, from NtQuerySystemInformation's module list. */
class DriverqueryCommandTest {

  @TempDir
  Path state;

  @Test
  void aFreshKernelHasNoLoadedDriverAndPrintsTheHeader() {
    Result r = embedded(state, "driverquery");

    assertThat(r.exitCode()).isZero();
    assertThat(r.outLines()).containsExactly("Module Name Driver Object Image Driver Type State Devices Opens");
  }

  @Test
  void listsEachLoadedDriverWithItsTypeStateDevicesAndOpens() {
    try (RunningKernel kernel = new RunningKernel(state)) {
      kernel.admin("sc", "create", "Echo", "--image", sampleImage("Echo").toString());
      kernel.admin("sc", "create", "NullFs", "--image", sampleImage("Null").toString(), "--type", "filesys");
      kernel.admin("sc", "start", "Echo");
      kernel.admin("sc", "start", "NullFs");

      Result r = kernel.admin("driverquery");

      assertThat(r.exitCode()).as(r.err()).isZero();
      assertThat(r.outLines()).contains(
          "Echo \\Driver\\Echo \\SystemRoot\\System32\\drivers\\Echo.jar Kernel Running 1 0",
          "NullFs \\FileSystem\\NullFs \\SystemRoot\\System32\\drivers\\Null.jar File System Running 1 0");
    }
  }

  @Test
  void aDeferredUnloadIsStopPendingWithItsOpenReference() {
    try (RunningKernel kernel = new RunningKernel(state)) {
      kernel.admin("sc", "create", "Echo", "--image", sampleImage("Echo").toString());
      kernel.admin("sc", "start", "Echo");
      try (LocalNt holder = kernel.client()) {
        OpenResult echo = holder.createFile(AccessMask.GENERIC_READ, ObjectAttributes.of("\\??\\Echo"), 0, 0);
        kernel.admin("sc", "stop", "Echo");

        Result r = kernel.admin("driverquery");

        assertThat(r.outLines()).contains(
            "Echo \\Driver\\Echo \\SystemRoot\\System32\\drivers\\Echo.jar Kernel Stop pending 1 1");
        holder.close(echo.handle());
      }
    }
  }
}
