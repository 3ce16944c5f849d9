package ntio.host.daemon;

import static ntio.host.daemon.HostRuntimeFixtures.SERVICES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import ntio.api.StartDriverOutcome;
import ntio.ddk.NtStatus;
import ntio.ddk.RegValue;
import ntio.kernel.io.StartDrivers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ntio host} as a real child process: SIGTERM shuts it down cleanly; SIGKILL leaves a lock
 * file and a socket behind that the next host takes over, with the registry intact.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
@Timeout(120)
class HostRuntimeProcessTest {

  /** What JVMs exit with after SIGTERM once the shutdown hooks have run: 128 + 15. */
  private static final int EXIT_AFTER_SIGTERM = 143;

  @TempDir Path state;
  @TempDir Path logs;
  private final List<Process> children = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    children.forEach(Process::destroyForcibly);
  }

  private Process host(Path log) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    ProcessBuilder builder = new ProcessBuilder(java, "-cp", classPath, "ntio.host.cli.Main",
        "host", "--state", state.toString())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Process process = builder.start();
    children.add(process);
    return process;
  }

  private static void awaitServing(Process process, Path log, Path socket) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!(Files.exists(socket) && read(log).contains("ntio host serving"))) {
      if (!process.isAlive()) {
        fail("the host exited with " + process.exitValue() + ":\n" + read(log));
      }
      if (System.nanoTime() > deadline) {
        fail("no socket after 60 s:\n" + read(log));
      }
      Thread.sleep(50);
    }
  }

  private static String read(Path log) throws IOException {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }

  @Test
  void sigtermUnloadsTheDriversReleasesTheLockAndSigkillLeavesAStateTheNextHostTakesOver() throws Exception {
    HostRuntimeFixtures.offline(state, kernel -> {
      HostRuntimeFixtures.installSample(kernel, "Null", StartDrivers.SYSTEM_START);
      HostRuntimeFixtures.installSample(kernel, "Echo", StartDrivers.AUTO_START);
      HostRuntimeFixtures.setValue(kernel, SERVICES + "Null\\Parameters", RegValue.string("Kept", "yes"));
    });
    Path socket = state.resolve(HostOptions.SOCKET_FILE);
    Path lock = state.resolve(HostOptions.LOCK_FILE);

    // A clean stop.
    Path firstLog = logs.resolve("first.log");
    Process first = host(firstLog);
    awaitServing(first, firstLog, socket);
    assertThat(read(firstLog)).contains("Started Null (SYSTEM_START", "Started Echo (AUTO_START");
    assertThat(HostLock.read(lock)).hasValueSatisfying(h -> assertThat(h.pid()).isEqualTo(first.pid()));

    first.destroy(); // SIGTERM
    assertThat(first.waitFor(60, TimeUnit.SECONDS)).as("exited:\n%s", read(firstLog)).isTrue();

    String stopped = read(firstLog);
    assertThat(first.exitValue()).as(stopped).isEqualTo(EXIT_AFTER_SIGTERM);
    assertThat(stopped).contains("Signal received", "Kernel shut down", "ntio host stopped");
    assertThat(stopped.indexOf("Unloaded Echo")).as("Echo, loaded last, unloads first:\n%s", stopped)
        .isPositive().isLessThan(stopped.indexOf("Unloaded Null"));
    assertThat(lock).doesNotExist();
    assertThat(socket).doesNotExist();

    // A crash: SIGKILL runs no hook.
    Path secondLog = logs.resolve("second.log");
    Process second = host(secondLog);
    awaitServing(second, secondLog, socket);
    assertThat(read(secondLog)).contains("Started Null (SYSTEM_START", "Started Echo (AUTO_START");
    second.destroyForcibly();
    assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(read(secondLog)).doesNotContain("Signal received");
    assertThat(lock).as("left behind by the killed host").exists();

    // The next host takes the stale lock and socket over; the hive is intact.
    HostRuntime third = HostRuntime.start(HostOptions.of(state).withShutdownHook(false));
    try {
      assertThat(third.holder().pid()).isEqualTo(ProcessHandle.current().pid());
      assertThat(third.startDrivers()).extracting(StartDriverOutcome::status)
          .containsExactly(NtStatus.STATUS_SUCCESS, NtStatus.STATUS_SUCCESS);
      assertThat(HostRuntimeFixtures.loadedServices(third.kernel())).containsExactly("Null", "Echo");
      assertThat(HostRuntimeFixtures.value(third.kernel(), SERVICES + "Null\\Parameters", "Kept"))
          .hasValueSatisfying(v -> assertThat(v.stringValue()).hasValue("yes"));
    } finally {
      third.shutdown();
    }
    assertThat(lock).doesNotExist();
  }

  @Test
  void aSecondHostProcessIsRefusedWithTheFirstNamed() throws Exception {
    Path firstLog = logs.resolve("first.log");
    Process first = host(firstLog);
    awaitServing(first, firstLog, state.resolve(HostOptions.SOCKET_FILE));

    Path secondLog = logs.resolve("second.log");
    Process second = host(secondLog);
    assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(second.exitValue()).isEqualTo(1);
    assertThat(read(secondLog)).contains("ntio: another ntio host holds " + state,
        "pid " + first.pid(), "socket " + state.resolve(HostOptions.SOCKET_FILE));
    assertThat(first.isAlive()).isTrue();
    first.destroy();
    assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
  }
}
