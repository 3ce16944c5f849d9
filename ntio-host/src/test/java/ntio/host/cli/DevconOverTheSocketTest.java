package ntio.host.cli;

import static ntio.host.cli.CliHarness.embedded;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import ntio.host.cli.CliHarness.Result;
import ntio.host.cli.devcon.PnpTestDriver;
import ntio.host.daemon.HostOptions;
import ntio.host.daemon.HostRuntime;
import ntio.host.daemon.crash.CrashImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ntio devcon} against a real host over its socket (protocol version 6): install, status and
 * remove answer as they do in-process, the client's token travels with each call, and the device's
 * driver unloads at its removal.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DevconOverTheSocketTest {

  @Test
  void installStatusAndRemoveOverTheSocketBringTheDeviceUpAndDown(@TempDir Path state, @TempDir Path images)
      throws Exception {
    Path jar = images.resolve("PnpTest.jar");
    Files.write(jar, CrashImages.image(PnpTestDriver.class, true));
    assertThat(embedded(state, "sc", "create", "PnpTest", "--image", jar.toString()).exitCode()).isZero();
    HostRuntime host = HostRuntime.start(HostOptions.of(state).withShutdownHook(false));
    try {
      installStatusAndRemove(host.socketPath());
    } finally {
      host.shutdown();
    }
  }

  private static void installStatusAndRemove(Path socket) throws InterruptedException {
    Result installed = CliHarness.overSocket(socket, "devcon", "install", "PnpTest", "Root\\PnpTest");
    assertThat(installed.exitCode()).as(installed.out() + installed.err()).isZero();
    assertThat(installed.outLines()).contains("Device node created: " + DevconCommandTest.INSTANCE,
        "Driver is running.");

    Result status = CliHarness.overSocket(socket, "devcon", "status", DevconCommandTest.INSTANCE);
    assertThat(status.exitCode()).isZero();
    assertThat(status.outLines()).contains("State: DeviceNodeStarted", "Driver is running.");
    assertThat(CliHarness.overSocket(socket, "driverquery").out()).contains("PnpTest");

    Result removed = CliHarness.overSocket(socket, "devcon", "remove", DevconCommandTest.INSTANCE);
    assertThat(removed.exitCode()).as(removed.err()).isZero();
    assertThat(removed.outLines()).containsExactly(DevconCommandTest.INSTANCE + ": Removed");
    Result gone = CliHarness.overSocket(socket, "devcon", "status", DevconCommandTest.INSTANCE);
    assertThat(gone.exitCode()).isEqualTo(ExitCodes.NT_FAILURE);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (CliHarness.overSocket(socket, "driverquery").out().contains("PnpTest") && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(CliHarness.overSocket(socket, "driverquery").out()).doesNotContain("PnpTest");
  }
}
