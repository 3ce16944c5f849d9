package ${package};

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import ntio.api.BugCheckReport;
import ntio.api.IoResult;
import ntio.api.NtDevice;
import ntio.api.NtSystem;
import ntio.api.Ntio;
import ntio.ddk.NtStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ${driverName} driver as a client sees it: the image this build made (target/${driverName}.jar)
 * installed as a service in a kernel booted in this JVM, loaded by the kernel's real loader,
 * opened, written, read, asked, closed and unloaded (docs/embedding.md).
 */
@Timeout(60)
class ${driverName}DriverTest {

  @TempDir Path state;

  private final List<BugCheckReport> bugChecks = new CopyOnWriteArrayList<>();
  private Path image;

  @BeforeEach
  void findTheBuiltImage() {
    image = Path.of(System.getProperty("driver.image", "target/${driverName}.jar"));
    assertThat(image).as("the image `mvn package` builds before the tests run").exists();
  }

  /** Boots a kernel on the test's state directory, installs the image as the service and loads it. */
  private NtSystem bootAndLoad() {
    NtSystem system = Ntio.boot(state);
    system.onBugCheck(bugChecks::add);
    assertThat(system.installDriver(${driverName}Ioctl.SERVICE, image)).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(system.load(${driverName}Ioctl.SERVICE)).isEqualTo(NtStatus.STATUS_SUCCESS);
    return system;
  }

  @Test
  void aWriteIsReadBackAndCountedByTheIoctl() {
    try (NtSystem system = bootAndLoad()) {
      try (NtDevice device = system.open(${driverName}Ioctl.LINK_NAME)) {
        assertThat(device.status()).isEqualTo(NtStatus.STATUS_SUCCESS);

        IoResult written = device.write("hello".getBytes(UTF_8), 0);
        IoResult stored = device.call(${driverName}Ioctl.IOCTL_QUERY_STORED, new byte[0], 4);
        IoResult read = device.read(64, 0);

        assertThat(written.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
        assertThat(written.information()).isEqualTo(5);
        assertThat(stored.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
        assertThat(ByteBuffer.wrap(stored.data()).order(ByteOrder.LITTLE_ENDIAN).getInt()).isEqualTo(5);
        assertThat(read.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
        assertThat(new String(read.data(), 0, (int) read.information(), UTF_8)).isEqualTo("hello");
      }
      assertThat(system.unload(${driverName}Ioctl.SERVICE)).isEqualTo(NtStatus.STATUS_SUCCESS);
      assertThat(system.awaitUnload(${driverName}Ioctl.SERVICE, Duration.ofSeconds(10)))
          .isEqualTo(NtStatus.STATUS_SUCCESS);
    }
    assertThat(bugChecks).isEmpty();
  }

  @Test
  void theIoctlRefusesAShortBufferAndAnUnknownCode() {
    try (NtSystem system = bootAndLoad()) {
      try (NtDevice device = system.open(${driverName}Ioctl.DEVICE_NAME)) {
        assertThat(device.call(${driverName}Ioctl.IOCTL_QUERY_STORED, new byte[0], 2).status())
            .isEqualTo(NtStatus.STATUS_BUFFER_TOO_SMALL);
        assertThat(device.call(${driverName}Ioctl.IOCTL_QUERY_STORED + 4, new byte[0], 4).status())
            .isEqualTo(NtStatus.STATUS_INVALID_DEVICE_REQUEST);
      }
    }
    assertThat(bugChecks).isEmpty();
  }

  @Test
  void anUnloadWaitsForTheLastHandleAndTheDriverLoadsAgain() {
    try (NtSystem system = bootAndLoad()) {
      try (NtDevice device = system.open(${driverName}Ioctl.DEVICE_NAME)) {
        assertThat(system.unload(${driverName}Ioctl.SERVICE)).isEqualTo(NtStatus.STATUS_SUCCESS);
        assertThat(system.awaitUnload(${driverName}Ioctl.SERVICE, Duration.ofMillis(50)))
            .as("deferred: the device is still open").isEqualTo(NtStatus.STATUS_TIMEOUT);
        assertThat(device.write("still open".getBytes(UTF_8), 0).status()).isEqualTo(NtStatus.STATUS_SUCCESS);
      }
      assertThat(system.awaitUnload(${driverName}Ioctl.SERVICE, Duration.ofSeconds(10)))
          .isEqualTo(NtStatus.STATUS_SUCCESS);
      assertThat(system.load(${driverName}Ioctl.SERVICE)).isEqualTo(NtStatus.STATUS_SUCCESS);
    }
    assertThat(bugChecks).isEmpty();
  }
}
