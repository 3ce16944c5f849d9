package ntio.host.daemon;

import static ntio.host.daemon.HostRuntimeFixtures.SERVICES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import ntio.api.DriverLoadResult;
import ntio.api.LuidAndAttributes;
import ntio.api.OpenResult;
import ntio.api.Privilege;
import ntio.ddk.AccessMask;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;
import ntio.host.wire.RemoteNt;
import ntio.kernel.Kernel;
import ntio.kernel.io.StartDrivers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host log of a real {@code ntio host} process tells the drivers' story — a load, a load
 * failure with its detail, a deferred unload's start and completion, an unload — one line each,
 * naming the service, while a client's connect and disconnect stay out of it (DEBUG).
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
@Timeout(120)
class HostDriverLogProcessTest {

  @TempDir Path state;
  @TempDir Path logs;
  private Process host;

  @AfterEach
  void killLeftovers() {
    if (host != null) {
      host.destroyForcibly();
    }
  }

  private static String read(Path log) throws IOException {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }

  private void awaitLog(Path log, String text) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!read(log).contains(text)) {
      if (!host.isAlive()) {
        fail("the host exited with " + host.exitValue() + ":\n" + read(log));
      }
      if (System.nanoTime() > deadline) {
        fail("no \"" + text + "\" after 60 s:\n" + read(log));
      }
      Thread.sleep(50);
    }
  }

  @Test
  void theLogSaysEachLoadFailureWithItsDetailAndEachUnloadButNotTheConnections() throws Exception {
    HostRuntimeFixtures.offline(state, kernel -> {
      HostRuntimeFixtures.installSample(kernel, "Echo", StartDrivers.AUTO_START);
      Path drivers = kernel.stateDirectory().resolve(Kernel.SYSTEM_ROOT).resolve("System32").resolve("drivers");
      try {
        Files.writeString(drivers.resolve("Broken.jar"), "not a jar at all\n");
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      HostRuntimeFixtures.setValue(kernel, SERVICES + "Broken", RegValue.dword("Type", 1));
      HostRuntimeFixtures.setValue(kernel, SERVICES + "Broken", RegValue.dword("Start", 3));
      HostRuntimeFixtures.setValue(kernel, SERVICES + "Broken",
          RegValue.expandString("ImagePath", "System32\\drivers\\Broken.jar"));
    });
    Path log = logs.resolve("host.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    host = new ProcessBuilder(java, "-cp", classPath, "ntio.host.cli.Main", "host", "--state", state.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    awaitLog(log, "ntio host serving");
    Path socket = state.resolve(HostOptions.SOCKET_FILE);

    try (RemoteNt nt = RemoteNt.connect(socket, "logtest")) {
      nt.adjustPrivileges(List.of(LuidAndAttributes.enable(Privilege.SE_LOAD_DRIVER_PRIVILEGE)));
      DriverLoadResult broken = nt.loadDriverDetailed(UnicodeString.of(SERVICES + "Broken"));
      assertThat(broken.status()).isEqualTo(NtStatus.STATUS_INVALID_IMAGE_FORMAT);
      assertThat(broken.detail()).contains("not a JAR");

      OpenResult echo = nt.createFile(AccessMask.GENERIC_READ, ObjectAttributes.of("\\??\\Echo"), 0, 0);
      assertThat(echo.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
      assertThat(nt.unloadDriver(UnicodeString.of(SERVICES + "Echo"))).isEqualTo(NtStatus.STATUS_SUCCESS);
      awaitLog(log, "Driver Echo unload deferred");
      nt.close(echo.handle());
      awaitLog(log, "Driver Echo deferred unload completed");
      assertThat(nt.loadDriverDetailed(UnicodeString.of(SERVICES + "Echo")).status()).isEqualTo(NtStatus.STATUS_SUCCESS);
      assertThat(nt.unloadDriver(UnicodeString.of(SERVICES + "Echo"))).isEqualTo(NtStatus.STATUS_SUCCESS);
      awaitLog(log, "Driver Echo unloaded");
    }

    String text = read(log);
    assertThat(text).contains("[INFO] DriverLog - Driver Echo loaded (\\Driver\\Echo)");
    assertThat(text).containsPattern("\\[ERROR\\] DriverLog - Driver Broken failed to load:"
        + " STATUS_INVALID_IMAGE_FORMAT \\(0xC000007B\\): not a JAR: no ZIP end record");
    assertThat(text).contains("[INFO] DriverLog - Driver Echo unload deferred: 1 open reference");
    assertThat(text).contains("[INFO] DriverLog - Driver Echo deferred unload completed:"
        + " DriverUnload ran, \\Driver\\Echo is gone");
    assertThat(text).contains("[INFO] DriverLog - Driver Echo unloaded (\\Driver\\Echo is gone)");
    assertThat(text.indexOf("Driver Echo unload deferred"))
        .isLessThan(text.indexOf("Driver Echo deferred unload completed"));
    assertThat(text).as("connection chatter is DEBUG").doesNotContain("connected: ", " disconnected", " run down");
  }
}
