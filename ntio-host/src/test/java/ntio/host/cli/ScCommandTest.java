package ntio.host.cli;

import static ntio.host.cli.CliHarness.embedded;
import static ntio.host.cli.CliHarness.sampleImage;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import ntio.api.OpenResult;
import ntio.ddk.AccessMask;
import ntio.ddk.ObjectAttributes;
import ntio.host.cli.CliHarness.Result;
import ntio.host.cli.CliHarness.RunningKernel;
import ntio.kernel.LocalNt;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ntio sc}: services written, started, stopped, queried and deleted through the system
 * calls, each command a client process. {@link OnOneKernel} runs its commands on one kernel that
 * stays up, as the daemon's does, which is what shows a driver running and an unload deferred.
 */
class ScCommandTest {

  private static final String SERVICES = "HKLM\\SYSTEM\\CurrentControlSet\\Services";

  @TempDir
  Path state;

  private Path drivers() {
    return state.resolve("SystemRoot").resolve("System32").resolve("drivers");
  }

  @Nested
  class Create {

    @Test
    void writesTheServiceKeyAndInstallsTheImageIntoSystemRoot() throws IOException {
      Result r = embedded(state, "sc", "create", "Echo", "--image", sampleImage("Echo").toString());

      assertThat(r.exitCode()).as(r.err()).isZero();
      // The signer line: the sample images are signed by the build's test certificate (issue 14).
      assertThat(r.out().lines().toList()).containsExactly(
          "[SC] CreateService SUCCESS", "        ImagePath : System32\\drivers\\Echo.jar",
          "        Signer    : ntio Test Signing");
      assertThat(Files.mismatch(drivers().resolve("Echo.jar"), sampleImage("Echo"))).isEqualTo(-1L);
      Result key = embedded(state, "reg", "query", SERVICES + "\\Echo");
      assertThat(key.out().lines().toList()).contains(
          "    Type    REG_DWORD    0x1",
          "    Start    REG_DWORD    0x3",
          "    ErrorControl    REG_DWORD    0x1",
          "    ImagePath    REG_EXPAND_SZ    System32\\drivers\\Echo.jar");
      assertThat(key.out()).doesNotContain("ObjectName", "Group");
    }

    @Test
    void theInstalledImageIs0600InA0700DriversDirectoryWhateverTheUmask() throws IOException {
      Result r = embedded(state, "sc", "create", "Echo", "--image", sampleImage("Echo").toString());

      assertThat(r.exitCode()).as(r.err()).isZero();
      assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
          Files.getPosixFilePermissions(drivers().resolve("Echo.jar")))).isEqualTo("rw-------");
      assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
          Files.getPosixFilePermissions(drivers()))).isEqualTo("rwx------");
    }

    @Test
    void typeStartObjectNameAndGroupAreWrittenAsGiven() {
      Result r = embedded(state, "sc", "create", "Echo", "--image", sampleImage("Echo").toString(),
          "--type", "filesys", "--start", "system", "--object-name", "\\FileSystem\\EchoFs", "--group", "Filter");

      assertThat(r.exitCode()).as(r.err()).isZero();
      assertThat(embedded(state, "reg", "query", SERVICES + "\\Echo").out().lines().toList()).contains(
          "    Type    REG_DWORD    0x2",
          "    Start    REG_DWORD    0x1",
          "    ObjectName    REG_SZ    \\FileSystem\\EchoFs",
          "    Group    REG_SZ    Filter");
    }

    @Test
    void anExistingServiceIsANameCollisionAndIsLeftAsItWas() {
      embedded(state, "sc", "create", "Echo", "--image", sampleImage("Echo").toString(), "--start", "auto");

      Result again = embedded(state, "sc", "create", "Echo", "--image", sampleImage("Null").toString());

      assertThat(again.exitCode()).isEqualTo(ExitCodes.NT_FAILURE);
      assertThat(again.errLines()).containsExactly(
          "ntio: the service Echo already exists: STATUS_OBJECT_NAME_COLLISION (0xC0000035)");
      assertThat(embedded(state, "reg", "query", SERVICES + "\\Echo").out())
          .contains("Start    REG_DWORD    0x2", "System32\\drivers\\Echo.jar");
      assertThat(drivers().resolve("Null.jar")).doesNotExist();
    }

    @Test
    void aMissingImageFileWritesNoKey() {
      Result r = embedded(state, "sc", "create", "Echo", "--image", state.resolve("Nope.jar").toString());

      assertThat(r.exitCode()).isEqualTo(ExitCodes.NT_FAILURE);
      assertThat(r.errLines()).containsExactly("ntio: no image file " + state.resolve("Nope.jar"));
      assertThat(embedded(state, "sc", "query", "Echo").exitCode()).isEqualTo(ExitCodes.NT_FAILURE);
    }

    @Test
    void aCopyThatFailsRemovesTheKeyItWrote() throws IOException {
      // A directory where the image should go: the copy cannot replace it.
      Files.createDirectories(drivers().resolve("Echo.jar"));
      Files.writeString(drivers().resolve("Echo.jar").resolve("in-the-way"), "x");

      Result r = embedded(state, "sc", "create", "Echo", "--image", sampleImage("Echo").toString());

      assertThat(r.exitCode()).isEqualTo(ExitCodes.NT_FAILURE);
      assertThat(r.err()).startsWith("ntio: cannot install " + sampleImage("Echo"))
          .contains("the service key was removed again");
      Result query = embedded(state, "sc", "query", "Echo");
      assertThat(query.err()).contains("STATUS_OBJECT_NAME_NOT_FOUND (0xC0000034)");
    }

    @Test
    void noCopyWritesAnNtPathAsGivenAndCopiesNothing() {
      Result r = embedded(state, "sc", "create", "Echo", "--image", "\\SystemRoot\\Elsewhere\\Echo.jar", "--no-copy");

      assertThat(r.exitCode()).as(r.err()).isZero();
      assertThat(embedded(state, "reg", "query", SERVICES + "\\Echo", "--value", "ImagePath").out())
          .contains("ImagePath    REG_EXPAND_SZ    \\SystemRoot\\Elsewhere\\Echo.jar");
      assertThat(drivers().resolve("Echo.jar")).doesNotExist();
    }

    @Test
    void noCopyWritesAHostPathAsTheLoaderNamesAHostFile() {
      Path image = sampleImage("Echo");

      Result r = embedded(state, "sc", "create", "Echo", "--image", image.toString(), "--no-copy");

      assertThat(r.exitCode()).as(r.err()).isZero();
      assertThat(r.out()).contains("ImagePath : \\??\\" + image.toAbsolutePath());
      assertThat(drivers().resolve("Echo.jar")).doesNotExist();
    }

    @Test
    void anUnknownTypeOrStartIsAUsageError() {
      assertThat(embedded(state, "sc", "create", "Echo", "--image", "x.jar", "--type", "win32").exitCode())
          .isEqualTo(ExitCodes.USAGE);
      assertThat(embedded(state, "sc", "create", "Echo", "--image", "x.jar", "--start", "later").exitCode())
          .isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void aNameWithABackslashIsAUsageError() {
      Result r = embedded(state, "sc", "create", "A\\B", "--image", sampleImage("Echo").toString());

      assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
      assertThat(r.err()).contains("a service name is one key name");
    }

    @Test
    void withoutImageIsAUsageError() {
      Result r = embedded(state, "sc", "create", "Echo");

      assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
      assertThat(r.err()).contains("Missing required option: '--image=PATH'");
    }
  }

  @Nested
  class Query {

    @Test
    void showsTypeStateAndStartAsScExeLaysThemOut() {
      embedded(state, "sc", "create", "Echo", "--image", sampleImage("Echo").toString());

      Result r = embedded(state, "sc", "query", "Echo");

      assertThat(r.exitCode()).isZero();
      assertThat(r.out().lines().toList()).containsExactly(
          "SERVICE_NAME: Echo",
          "        TYPE               : 1  KERNEL_DRIVER",
          "        STATE              : 1  STOPPED",
          "        START_TYPE         : 3  DEMAND_START",
          "        BINARY_PATH_NAME   : System32\\drivers\\Echo.jar");
    }

    @Test
    void withoutANameListsEveryDriverServiceAndNoOtherService() {
      embedded(state, "sc", "create", "Echo", "--image", sampleImage("Echo").toString());
      embedded(state, "sc", "create", "Fs", "--image", sampleImage("Null").toString(), "--type", "filesys");
      embedded(state, "reg", "add", SERVICES + "\\Spooler", "--value", "Type", "--type", "REG_DWORD", "--data", "0x10");

      Result r = embedded(state, "sc", "query");

      assertThat(r.exitCode()).isZero();
      assertThat(r.outLines()).containsSubsequence(
          "SERVICE_NAME: Echo", "TYPE : 1 KERNEL_DRIVER", "",
          "SERVICE_NAME: Fs", "TYPE : 2 FILE_SYSTEM_DRIVER");
      assertThat(r.out()).doesNotContain("Spooler");
    }

    @Test
    void aMissingServiceExits1() {
      Result r = embedded(state, "sc", "query", "Nope");

      assertThat(r.exitCode()).isEqualTo(ExitCodes.NT_FAILURE);
      assertThat(r.errLines()).containsExactly(
          "ntio: cannot query service Nope: STATUS_OBJECT_NAME_NOT_FOUND (0xC0000034)");
    }
  }

  @Nested
  class StartStopDelete {

    @Test
    void startPrintsRunningWithTheDriverObject() {
      embedded(state, "sc", "create", "Echo", "--image", sampleImage("Echo").toString());

      Result r = embedded(state, "sc", "start", "Echo");

      assertThat(r.exitCode()).as(r.err()).isZero();
      assertThat(r.outLines()).containsExactly(
          "SERVICE_NAME: Echo",
          "TYPE : 1 KERNEL_DRIVER",
          "STATE : 4 RUNNING",
          "START_TYPE : 3 DEMAND_START",
          "BINARY_PATH_NAME : System32\\drivers\\Echo.jar",
          "DRIVER_OBJECT : \\Driver\\Echo",
          "DEVICES : 1",
          "OPEN_REFERENCES : 0");
    }

    @Test
    void aFileSystemServiceStartsAsAFileSystemDriverObject() {
      embedded(state, "sc", "create", "Echo", "--image", sampleImage("Echo").toString(), "--type", "filesys");

      Result r = embedded(state, "sc", "start", "Echo");

      assertThat(r.exitCode()).as(r.err()).isZero();
      assertThat(r.outLines()).contains("STATE : 4 RUNNING", "DRIVER_OBJECT : \\FileSystem\\Echo");
    }

    @Test
    void startingAMissingServiceExits1WithTheStatus() {
      Result r = embedded(state, "sc", "start", "Nope");

      assertThat(r.exitCode()).isEqualTo(ExitCodes.NT_FAILURE);
      assertThat(r.errLines()).singleElement().asString().startsWith("ntio: cannot start Nope: STATUS_");
    }

    @Test
    void stoppingAServiceThatIsNotStartedSaysSo() {
      embedded(state, "sc", "create", "Echo", "--image", sampleImage("Echo").toString());

      Result r = embedded(state, "sc", "stop", "Echo");

      assertThat(r.exitCode()).isEqualTo(ExitCodes.NT_FAILURE);
      assertThat(r.errLines()).containsExactly(
          "ntio: cannot stop Echo (it is not started): STATUS_OBJECT_NAME_NOT_FOUND (0xC0000034)");
    }

    @Test
    void deleteRemovesTheKeyWithItsSubkeysButNotTheImage() {
      embedded(state, "sc", "create", "Echo", "--image", sampleImage("Echo").toString());
      embedded(state, "reg", "add", SERVICES + "\\Echo\\Parameters", "--value", "X", "--data", "y");

      Result r = embedded(state, "sc", "delete", "Echo");

      assertThat(r.exitCode()).as(r.err()).isZero();
      assertThat(r.out().lines().toList()).containsExactly("[SC] DeleteService SUCCESS");
      assertThat(embedded(state, "reg", "query", SERVICES + "\\Echo").exitCode()).isEqualTo(ExitCodes.NT_FAILURE);
      assertThat(drivers().resolve("Echo.jar")).exists();
    }

    @Test
    void deletingAMissingServiceExits1() {
      Result r = embedded(state, "sc", "delete", "Nope");

      assertThat(r.exitCode()).isEqualTo(ExitCodes.NT_FAILURE);
      assertThat(r.err()).contains("STATUS_OBJECT_NAME_NOT_FOUND (0xC0000034)");
    }
  }

  @Nested
  class OnOneKernel {

    @Test
    void theDeferredUnloadStoryCreateStartStopPendingLastCloseStoppedDelete() {
      try (RunningKernel kernel = new RunningKernel(state)) {
        assertThat(kernel.admin("sc", "create", "Echo", "--image", sampleImage("Echo").toString()).exitCode()).isZero();
        assertThat(kernel.admin("sc", "start", "Echo").outLines()).contains("STATE : 4 RUNNING");
        assertThat(kernel.admin("sc", "query", "Echo").outLines()).contains("STATE : 4 RUNNING", "OPEN_REFERENCES : 0");

        try (LocalNt holder = kernel.client()) {
          OpenResult echo = holder.createFile(AccessMask.GENERIC_READ, ObjectAttributes.of("\\??\\Echo"), 0, 0);
          assertThat(echo.status().isSuccess()).as("open %s", echo.status()).isTrue();
          assertThat(kernel.admin("sc", "query", "Echo").outLines()).contains("OPEN_REFERENCES : 1");

          Result stop = kernel.admin("sc", "stop", "Echo");
          assertThat(stop.exitCode()).as(stop.err()).isZero();
          assertThat(stop.outLines()).contains("STATE : 3 STOP_PENDING", "OPEN_REFERENCES : 1");
          assertThat(kernel.admin("sc", "query", "Echo").outLines()).contains("STATE : 3 STOP_PENDING");
          Result delete = kernel.admin("sc", "delete", "Echo");
          assertThat(delete.exitCode()).isEqualTo(ExitCodes.NT_FAILURE);
          assertThat(delete.errLines()).containsExactly("ntio: cannot delete service Echo: its driver is loaded"
              + " (STOP_PENDING); stop it first with 'ntio sc stop Echo': STATUS_CANNOT_DELETE (0xC0000121)");

          holder.close(echo.handle());
          kernel.awaitDriverGone("\\Driver\\Echo", "Echo.jar");
        }

        assertThat(kernel.admin("sc", "query", "Echo").outLines()).contains("STATE : 1 STOPPED")
            .doesNotContain("DRIVER_OBJECT : \\Driver\\Echo");
        assertThat(kernel.admin("sc", "delete", "Echo").exitCode()).isZero();
        assertThat(kernel.admin("sc", "query", "Echo").exitCode()).isEqualTo(ExitCodes.NT_FAILURE);
      }
    }

    @Test
    void queryingEveryServiceShowsEachRunningDriverUnderItsOwnServiceAndTheRestStopped() {
      try (RunningKernel kernel = new RunningKernel(state)) {
        for (String sample : new String[] {"Echo", "Filter", "Null"}) {
          assertThat(kernel.admin("sc", "create", sample, "--image", sampleImage(sample).toString()).exitCode()).isZero();
        }
        assertThat(kernel.admin("sc", "start", "Null").exitCode()).isZero();
        assertThat(kernel.admin("sc", "start", "Echo").exitCode()).isZero();

        Result all = kernel.admin("sc", "query");

        assertThat(all.exitCode()).as(all.err()).isZero();
        // One block per service, blank-line separated; spaces squeezed as outLines() squeezes them.
        String[] blocks = java.util.Arrays.stream(all.out().split("\\R\\R"))
            .map(block -> block.replaceAll(" +", " ")).toArray(String[]::new);
        assertThat(blocks).hasSize(3);
        assertThat(blocks[0]).contains("SERVICE_NAME: Echo", "STATE : 4 RUNNING", "DRIVER_OBJECT : \\Driver\\Echo");
        assertThat(blocks[1]).contains("SERVICE_NAME: Filter", "STATE : 1 STOPPED").doesNotContain("DRIVER_OBJECT");
        assertThat(blocks[2]).contains("SERVICE_NAME: Null", "STATE : 4 RUNNING", "DRIVER_OBJECT : \\Driver\\Null");
      }
    }

    @Test
    void stopWithNothingOpenUnloadsAtOnce() {
      try (RunningKernel kernel = new RunningKernel(state)) {
        kernel.admin("sc", "create", "Echo", "--image", sampleImage("Echo").toString());
        kernel.admin("sc", "start", "Echo");

        Result stop = kernel.admin("sc", "stop", "Echo");

        assertThat(stop.exitCode()).as(stop.err()).isZero();
        assertThat(stop.outLines()).contains("STATE : 1 STOPPED");
      }
    }

    @Test
    void startingARunningServiceIsImageAlreadyLoaded() {
      try (RunningKernel kernel = new RunningKernel(state)) {
        kernel.admin("sc", "create", "Echo", "--image", sampleImage("Echo").toString());
        kernel.admin("sc", "start", "Echo");

        Result again = kernel.admin("sc", "start", "Echo");

        assertThat(again.exitCode()).isEqualTo(ExitCodes.NT_FAILURE);
        assertThat(again.errLines()).containsExactly("ntio: cannot start Echo: STATUS_IMAGE_ALREADY_LOADED (0xC000010E)");
      }
    }

    @Test
    void aStandardUserCannotCreateAServiceAndNoFileIsTouched() throws IOException {
      try (RunningKernel kernel = new RunningKernel(state)) {
        Result r = kernel.user("sc", "create", "Echo", "--image", sampleImage("Echo").toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.NT_FAILURE);
        assertThat(r.errLines()).containsExactly(
            "ntio: cannot create service Echo: STATUS_ACCESS_DENIED (0xC0000022)");
        try (Stream<Path> files = Files.list(drivers())) {
          assertThat(files).isEmpty();
        }
        assertThat(kernel.admin("sc", "query", "Echo").exitCode()).isEqualTo(ExitCodes.NT_FAILURE);
      }
    }

    @Test
    void aStandardUserCannotStartOrStopADriverForWantOfSeLoadDriverPrivilege() {
      try (RunningKernel kernel = new RunningKernel(state)) {
        kernel.admin("sc", "create", "Echo", "--image", sampleImage("Echo").toString());

        Result start = kernel.user("sc", "start", "Echo");

        assertThat(start.exitCode()).isEqualTo(ExitCodes.NT_FAILURE);
        assertThat(start.errLines()).containsExactly(
            "ntio: cannot start Echo: STATUS_PRIVILEGE_NOT_HELD (0xC0000061)");

        kernel.admin("sc", "start", "Echo");
        Result stop = kernel.user("sc", "stop", "Echo");
        assertThat(stop.exitCode()).isEqualTo(ExitCodes.NT_FAILURE);
        assertThat(stop.err()).contains("STATUS_PRIVILEGE_NOT_HELD (0xC0000061)");
        assertThat(kernel.admin("sc", "query", "Echo").outLines()).contains("STATE : 4 RUNNING");
      }
    }
  }
}
