package ntio.host.cli;

import static ntio.host.cli.CliHarness.embedded;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import ntio.host.cli.CliHarness.Result;
import ntio.host.daemon.HostOptions;
import ntio.host.daemon.HostRuntime;
import ntio.host.daemon.crash.BootBugCheckDriver;
import ntio.host.daemon.crash.CrashImages;
import ntio.host.daemon.crash.ThrowingIoctlDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the command line and the shell say when the host's kernel bug-checks: one line naming the
 * bug check, the driver's image and the report to show, and exit code 3; never "start one with
 * 'ntio host'" while the host runs, never a stack trace.
 */
@Timeout(60)
class CrashedKernelCommandsTest {

  private static final String CRASH_CONTROL = "HKLM\\SYSTEM\\CurrentControlSet\\Control\\CrashControl";

  @TempDir Path state;
  @TempDir Path images;
  private HostRuntime host;

  @AfterEach
  void stop() {
    if (host != null) {
      host.shutdown();
    }
  }

  /** Installs the demand-start driver Crashy, whose DriverEntry bug-checks, and starts a host. */
  private void hostWithCrashy(boolean autoReboot) throws Exception {
    Path jar = images.resolve("Crashy.jar");
    Files.write(jar, CrashImages.image(BootBugCheckDriver.class));
    assertThat(embedded(state, "sc", "create", "Crashy", "--image", jar.toString()).exitCode()).isZero();
    assertThat(embedded(state, "reg", "add", CRASH_CONTROL, "--value", "AutoReboot", "--type", "REG_DWORD",
        "--data", autoReboot ? "1" : "0").exitCode()).isZero();
    host = HostRuntime.start(HostOptions.of(state).withShutdownHook(false));
  }

  private Result client(String... args) {
    return CliHarness.overSocket(host.socketPath(), args);
  }

  @Test
  void theCommandThatCrashedTheKernelAndEveryLaterOneSayWhyInOneLineWithExitCode3() throws Exception {
    hostWithCrashy(false);

    Result crashed = client("sc", "start", "Crashy");
    Result after = client("sc", "query", "Crashy");

    String id = CliHarness.crashIds(state).get(0);
    String line = "ntio: kernel halted: bug check 0x000000E2 in Crashy.jar — `ntio crash show " + id + "`";
    assertThat(crashed.exitCode()).as(crashed.out() + crashed.err()).isEqualTo(3);
    assertThat(crashed.errLines()).last().isEqualTo(line);
    assertThat(after.exitCode()).isEqualTo(3);
    assertThat(after.errLines()).singleElement().asString().startsWith(line).doesNotContain("start one with");
  }

  @Test
  void aCommandCutOffByTheAutomaticRebootSaysWhyAndTheNextOneIsServed() throws Exception {
    hostWithCrashy(true);

    Result crashed = client("sc", "start", "Crashy");
    await(() -> host.automaticReboots() == 1 && host.kernel().isRunning());
    Result after = client("sc", "query", "Crashy");

    assertThat(crashed.exitCode()).as(crashed.out() + crashed.err()).isEqualTo(3);
    assertThat(crashed.err()).contains("kernel halted: bug check 0x000000E2 in Crashy.jar — `ntio crash show ")
        .doesNotContain("\tat ");
    assertThat(after.exitCode()).isZero();
    assertThat(after.outLines()).contains("STATE : 1 STOPPED");
  }

  @Test
  void aStartDriverLeftOutOfTheAutomaticRebootIsStoppedWithTheReasonInScQuery() throws Exception {
    hostWithCrashy(true);
    host.shutdown();
    assertThat(embedded(state, "reg", "add", "HKLM\\SYSTEM\\CurrentControlSet\\Services\\Crashy", "--value",
        "Start", "--type", "REG_DWORD", "--data", "1").exitCode()).isZero();
    host = HostRuntime.start(HostOptions.of(state).withShutdownHook(false));

    Result query = client("sc", "query", "Crashy");

    assertThat(query.exitCode()).isZero();
    assertThat(query.outLines()).contains("STATE : 1 STOPPED")
        .anySatisfy(l -> assertThat(l).startsWith("DETAIL : not started on the automatic reboot: its boot start raised"
            + " bug check 0x000000E2 in Crashy.jar"));
  }

  @Test
  void theShellEndsWithOneLineAndExitCode3WhenItsKernelHalts() throws Exception {
    hostWithCrashy(false);
    Path script = images.resolve("script");
    Files.writeString(script, "sc start Crashy\nsc query Crashy\n");

    Result shell = client("shell", "--script", script.toString());

    assertThat(shell.exitCode()).isEqualTo(3);
    assertThat(shell.err()).doesNotContain("\tat ").doesNotContain("Exception");
    assertThat(shell.errLines()).filteredOn(l -> l.contains("kernel halted")).singleElement().asString()
        .contains("in Crashy.jar — `ntio crash show ");
    // The second line never ran on the dead session.
    assertThat(shell.out()).doesNotContain("SERVICE_NAME");
  }

  @Test
  void aShellWhoseIoctlCrashesTheKernelSaysOnlyTheHaltInOneLine() throws Exception {
    Path jar = images.resolve("Thrower.jar");
    Files.write(jar, CrashImages.image(ThrowingIoctlDriver.class));
    assertThat(embedded(state, "sc", "create", "Thrower", "--image", jar.toString()).exitCode()).isZero();
    hostWithCrashy(false);
    assertThat(client("sc", "start", "Thrower").exitCode()).isZero();
    Path script = images.resolve("script");
    Files.writeString(script, "open " + ThrowingIoctlDriver.DEVICE + " --as t\nioctl t 0x222000\nclose t\n");

    Result shell = client("shell", "--script", script.toString());

    assertThat(shell.exitCode()).isEqualTo(3);
    // Not also "ioctl t 0x222000: STATUS_SYSTEM_SHUTDOWN": the halt's line says why the call failed.
    assertThat(shell.errLines()).as(shell.err()).singleElement().asString()
        .startsWith("ntio: kernel halted: bug check 0x0000001E in Thrower.jar — `ntio crash show ");
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() - deadline).as("waited 30 s").isNegative();
      Thread.sleep(10);
    }
  }
}
