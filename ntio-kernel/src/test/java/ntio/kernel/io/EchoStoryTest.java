package ntio.kernel.io;

import static ntio.ddk.NtStatus.STATUS_IMAGE_ALREADY_LOADED;
import static ntio.ddk.NtStatus.STATUS_NO_SUCH_DEVICE;
import static ntio.ddk.NtStatus.STATUS_SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import ntio.api.IoResult;
import ntio.api.OpenResult;
import ntio.ddk.DeviceFlags;
import ntio.ddk.RegValue;
import ntio.kernel.Kernel;
import ntio.kernel.KernelConfig;
import ntio.kernel.loader.LoadedImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "done when" story, with the real Echo sample image: install, load, use, unload while
 * in use, and load again.
 */
class EchoStoryTest {

  /** The sample image the ntio-drivers module builds. */
  private static final Path ECHO_JAR = SampleImages.image("Echo");

  @TempDir Path state;

  private static byte[] roundTrip(Kernel kernel, LoadFixture fixture, OpenResult opened, String text) {
    byte[] sent = text.getBytes(StandardCharsets.UTF_8);
    IoResult written = kernel.services().ntWriteFile(fixture.admin, opened.handle(), sent, 0);
    assertThat(written.status()).isEqualTo(STATUS_SUCCESS);
    assertThat(written.information()).isEqualTo(sent.length);
    IoResult read = kernel.services().ntReadFile(fixture.admin, opened.handle(), 256, 0);
    assertThat(read.status()).isEqualTo(STATUS_SUCCESS);
    assertThat(read.information()).isEqualTo(sent.length);
    return read.data();
  }

  @Test
  @Timeout(60)
  void T49_echoStoryEndToEnd() throws IOException, InterruptedException {
    assertThat(ECHO_JAR).as("the Echo sample image (mvn package in ntio-drivers)").isRegularFile();
    try (Kernel kernel = Kernel.boot(KernelConfig.of(state))) {
      // A new user installs the service as the service controller would, and starts it.
      LoadFixture fixture = new LoadFixture(kernel);
      Files.copy(ECHO_JAR, fixture.drivers().resolve("Echo.jar"));
      fixture.service("Echo")
          .set(RegValue.dword("Type", 1))
          .set(RegValue.dword("Start", 3))
          .set(RegValue.dword("ErrorControl", 1))
          .set(RegValue.expandString("ImagePath", "System32\\drivers\\Echo.jar"));
      assertThat(fixture.load("Echo")).isEqualTo(STATUS_SUCCESS);
      assertThat(fixture.driverNames()).containsExactly("\\Driver\\Echo");
      assertThat(fixture.linkExists("\\??\\Echo")).isTrue();
      LoadedImage image = fixture.images().get(0);

      // Opens it by its DOS name, writes and reads back.
      OpenResult opened = fixture.open(fixture.admin, "\\??\\Echo");
      assertThat(opened.status()).isEqualTo(STATUS_SUCCESS);
      assertThat(roundTrip(kernel, fixture, opened, "hello, echo")).asString(StandardCharsets.UTF_8)
          .isEqualTo("hello, echo");

      // Unloads while the handle is open: accepted, deferred.
      assertThat(fixture.unload("Echo")).isEqualTo(STATUS_SUCCESS);
      assertThat(fixture.driverExists("\\Driver\\Echo")).isTrue();
      KernelDeviceObject device = fixture.referenceDevice("\\Device\\Echo");
      try {
        assertThat(device.deviceObjectExtension().extensionFlags() & DeviceFlags.DOE_UNLOAD_PENDING).isNotZero();
      } finally {
        device.dereference();
      }
      assertThat(fixture.open(fixture.admin, "\\??\\Echo").status()).isEqualTo(STATUS_NO_SUCH_DEVICE);
      assertThat(fixture.load("Echo")).isEqualTo(STATUS_IMAGE_ALREADY_LOADED);
      // The open handle still works.
      assertThat(roundTrip(kernel, fixture, opened, "still here")).asString(StandardCharsets.UTF_8)
          .isEqualTo("still here");
      assertThat(image.isMapped()).isTrue();

      // Closing the last handle lets the unload finish.
      assertThat(kernel.services().ntClose(fixture.admin, opened.handle())).isEqualTo(STATUS_SUCCESS);
      LoadFixture.awaitTrue("the deferred unload of Echo finished",
          () -> !fixture.driverExists("\\Driver\\Echo") && fixture.images().isEmpty());
      assertThat(image.isMapped()).isFalse();
      assertThat(fixture.deviceExists("\\Device\\Echo")).isFalse();
      assertThat(fixture.linkExists("\\??\\Echo")).isFalse();
      assertThat(fixture.driverNames()).isEmpty();

      // And it loads again.
      assertThat(fixture.load("Echo")).isEqualTo(STATUS_SUCCESS);
      OpenResult again = fixture.open(fixture.admin, "\\??\\Echo");
      assertThat(again.status()).isEqualTo(STATUS_SUCCESS);
      assertThat(roundTrip(kernel, fixture, again, "once more")).asString(StandardCharsets.UTF_8)
          .isEqualTo("once more");
      assertThat(kernel.services().ntClose(fixture.admin, again.handle())).isEqualTo(STATUS_SUCCESS);
    }
  }
}
