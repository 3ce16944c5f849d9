package ntio.host.daemon;

import static ntio.host.daemon.HostRuntimeFixtures.SERVICES;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import ntio.ddk.NtStatus;
import ntio.ddk.RegValue;
import ntio.host.daemon.hang.HangingUnloadDriver;
import ntio.kernel.Kernel;
import ntio.kernel.executive.CrashReportWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A driver whose DriverUnload hangs cannot hold the host's shutdown: after the grace period the
 * shutdown returns, reporting the hung driver by name in its report and in a file in the state
 * directory, and says the process must end without it.
 */
@Timeout(60)
class HostShutdownGraceTest {

  @TempDir Path state;

  @Test
  void aHungDriverUnloadAtShutdownEndsWithAReportNamingItAfterTheGracePeriod() throws Exception {
    HostRuntimeFixtures.offline(state, kernel -> install(kernel, "Hang"));
    HostRuntime host = HostRuntime.start(HostOptions.of(state).withShutdownHook(false)
        .withShutdownGrace(Duration.ofMillis(300)));
    assertThat(host.startDrivers()).singleElement()
        .satisfies(o -> assertThat(o.status()).isEqualTo(NtStatus.STATUS_SUCCESS));
    try {
      HostRuntime.ShutdownReport report = host.shutdown();

      assertThat(report.hung()).isTrue();
      assertThat(report.hungDrivers()).containsExactly("DriverUnload of \\Driver\\Hang");
      Path file = report.hungReport().orElseThrow();
      assertThat(file.getParent()).isEqualTo(state.toAbsolutePath().normalize()
          .resolve(CrashReportWriter.CRASH_DIRECTORY));
      assertThat(file.getFileName().toString()).startsWith(HungShutdownReport.PREFIX);
      assertThat(Files.readString(file)).contains(
          "driver code did not finish within the shutdown grace period of 300 ms: DriverUnload of \\Driver\\Hang",
          HangingUnloadDriver.class.getName() + ".unload");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
      assertThat(host.isRunning()).isFalse();
      assertThat(host.shutdown()).as("idempotent").isSameAs(report);
      assertThat(state.resolve(HostOptions.LOCK_FILE)).doesNotExist();
    } finally {
      System.setProperty(HangingUnloadDriver.RELEASE, "true");
      awaitStoppingThreadEnd();
      System.clearProperty(HangingUnloadDriver.RELEASE);
    }
  }

  @Test
  void aShutdownThatFinishesInTimeIsNotHung() {
    HostRuntime host = HostRuntime.start(HostOptions.of(state).withShutdownHook(false)
        .withShutdownGrace(Duration.ofSeconds(30)));

    HostRuntime.ShutdownReport report = host.shutdown();

    assertThat(report.hung()).isFalse();
    assertThat(report.hungDrivers()).isEmpty();
    assertThat(report.hungReport()).isEmpty();
  }

  /** The shutdown's driver phase finishes once the driver lets go; the hive is then closed. */
  private static void awaitStoppingThreadEnd() throws InterruptedException {
    Optional<Thread> stopping = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("ntio-host-stopping")).findFirst();
    if (stopping.isPresent()) {
      stopping.get().join(30_000);
    }
  }

  private static void install(Kernel kernel, String name) {
    Path drivers = kernel.stateDirectory().resolve(Kernel.SYSTEM_ROOT).resolve("System32")
        .resolve("drivers");
    try {
      Files.createDirectories(drivers);
      Files.write(drivers.resolve(name + ".jar"), HostRuntimeFixtures.image(HangingUnloadDriver.class));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    HostRuntimeFixtures.setValue(kernel, SERVICES + name, RegValue.dword("Type", 1));
    HostRuntimeFixtures.setValue(kernel, SERVICES + name, RegValue.dword("Start", 2));
    HostRuntimeFixtures.setValue(kernel, SERVICES + name,
        RegValue.expandString("ImagePath", "System32\\drivers\\" + name + ".jar"));
  }
}
