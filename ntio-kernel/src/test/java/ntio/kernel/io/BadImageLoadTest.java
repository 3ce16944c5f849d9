package ntio.kernel.io;

import static ntio.ddk.NtStatus.STATUS_DRIVER_BLOCKED;
import static ntio.ddk.NtStatus.STATUS_DRIVER_ENTRYPOINT_NOT_FOUND;
import static ntio.ddk.NtStatus.STATUS_INVALID_IMAGE_FORMAT;
import static ntio.ddk.NtStatus.STATUS_OBJECT_NAME_NOT_FOUND;
import static ntio.ddk.NtStatus.STATUS_SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import ntio.ddk.NtStatus;
import ntio.ddk.RegValue;
import ntio.kernel.Kernel;
import ntio.kernel.KernelConfig;
import ntio.kernel.io.loadtests.kernelref.KernelReferencingDriver;
import ntio.kernel.io.loadtests.notentry.NotADriverEntry;
import ntio.kernel.io.loadtests.scripted.ScriptedDriver;
import ntio.kernel.testing.DriverJars;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Images the loader refuses, through NtLoadDriver: each fails with its own status, leaves no
 * driver object and nothing in the loader's list, and the same service loads once the image is
 * fixed.
 */
class BadImageLoadTest {

  /** The service every broken image is installed under, and its image's file name. */
  private static final String SERVICE = "Broken";
  private static final String IMAGE = SERVICE + ".jar";

  @TempDir Path state;

  /** A broken image, the status NtLoadDriver answers for it, and how to write it. */
  record BadImage(String what, NtStatus status, BiConsumer<Path, String> writer) {
    @Override
    public String toString() {
      return what + " -> " + status.name();
    }
  }

  static Stream<BadImage> badImages() {
    return Stream.of(
        new BadImage("missing file", STATUS_OBJECT_NAME_NOT_FOUND, (drivers, name) -> {}),
        new BadImage("not a JAR", STATUS_INVALID_IMAGE_FORMAT, DriverJars::notAJar),
        new BadImage("corrupt entry", STATUS_INVALID_IMAGE_FORMAT,
            (drivers, name) -> DriverJars.corrupt(drivers, name, ScriptedDriver.class)),
        new BadImage("truncated", STATUS_INVALID_IMAGE_FORMAT,
            (drivers, name) -> DriverJars.truncated(drivers, name, ScriptedDriver.class)),
        new BadImage("no manifest", STATUS_INVALID_IMAGE_FORMAT,
            (drivers, name) -> DriverJars.withoutManifest(drivers, name, ScriptedDriver.class)),
        new BadImage("no Ntio-Driver-Entry", STATUS_DRIVER_ENTRYPOINT_NOT_FOUND,
            (drivers, name) -> DriverJars.image(name).add(ScriptedDriver.class).writeTo(drivers)),
        new BadImage("entry class not in the image", STATUS_DRIVER_ENTRYPOINT_NOT_FOUND,
            (drivers, name) -> DriverJars.image(name).add(ScriptedDriver.class)
                .attribute(DriverJars.ENTRY_ATTRIBUTE, "ntio.kernel.io.loadtests.scripted.Absent")
                .writeTo(drivers)),
        new BadImage("entry class not a DriverEntry", STATUS_DRIVER_ENTRYPOINT_NOT_FOUND,
            (drivers, name) -> DriverJars.driver(drivers, name, NotADriverEntry.class)),
        new BadImage("references ntio.kernel.Kernel", STATUS_DRIVER_ENTRYPOINT_NOT_FOUND,
            (drivers, name) -> DriverJars.driver(drivers, name, KernelReferencingDriver.class)));
  }

  /** No driver object, nothing mapped, DriverEntry never ran. */
  private static void assertNothingLeft(LoadFixture fixture) {
    assertThat(fixture.driverNames()).isEmpty();
    assertThat(fixture.driverExists("\\Driver\\" + SERVICE)).isFalse();
    assertThat(fixture.images()).isEmpty();
    assertThat(fixture.entryCount(SERVICE)).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badImages")
  void aBadImageFailsWithItsOwnStatusLeavesNothingAndTheServiceLoadsOnceFixed(BadImage bad) {
    try (Kernel kernel = Kernel.boot(KernelConfig.of(state))) {
      LoadFixture fixture = new LoadFixture(kernel);
      fixture.scriptedService(SERVICE, IMAGE);
      bad.writer().accept(fixture.drivers(), IMAGE);

      assertThat(fixture.load(SERVICE)).isEqualTo(bad.status());
      assertNothingLeft(fixture);
      // A second try fails the same way: the failure left nothing that would change the answer.
      assertThat(fixture.load(SERVICE)).isEqualTo(bad.status());
      assertNothingLeft(fixture);

      fixture.scriptedImage(IMAGE);
      assertThat(fixture.load(SERVICE)).isEqualTo(STATUS_SUCCESS);
      assertThat(fixture.driverNames()).containsExactly("\\Driver\\" + SERVICE);
      assertThat(fixture.entryCount(SERVICE)).isEqualTo(1);
    }
  }

  @Test
  void anImageOutsideTheAllowedDirectoriesIsBlockedUntilTheConfigurationAllowsIt() {
    Path outside = state.resolve("outside");
    Path image = DriverJars.driver(outside, "Outside.jar", ScriptedDriver.class);
    String imagePath = "\\??\\" + image.toAbsolutePath();
    try (Kernel kernel = Kernel.boot(KernelConfig.of(state))) {
      LoadFixture fixture = new LoadFixture(kernel);
      fixture.service("Outside").installer("Outside.jar").set(RegValue.expandString("ImagePath", imagePath));

      assertThat(fixture.load("Outside")).isEqualTo(STATUS_DRIVER_BLOCKED);
      assertThat(fixture.driverNames()).isEmpty();
      assertThat(fixture.images()).isEmpty();
      assertThat(fixture.entryCount("Outside")).isZero();
    }
    // The same state directory, booted by a configuration that allows that directory.
    try (Kernel kernel = Kernel.boot(KernelConfig.of(state).withImageDirectories(List.of(outside)))) {
      LoadFixture fixture = new LoadFixture(kernel);
      assertThat(fixture.load("Outside")).isEqualTo(STATUS_SUCCESS);
      assertThat(fixture.imagePaths()).containsExactly(imagePath);
      assertThat(fixture.entryCount("Outside")).isEqualTo(1);
    }
    // And by one that allows any path.
    try (Kernel kernel = Kernel.boot(KernelConfig.of(state).withAnyImagePath())) {
      LoadFixture fixture = new LoadFixture(kernel);
      assertThat(fixture.load("Outside")).isEqualTo(STATUS_SUCCESS);
      assertThat(fixture.entryCount("Outside")).isEqualTo(2);
    }
  }

  @Test
  void aLinkInTheDriversDirectoryToAnImageOutsideIsBlocked() throws IOException {
    Path outside = state.resolve("outside");
    Path image = DriverJars.driver(outside, "Target.jar", ScriptedDriver.class);
    try (Kernel kernel = Kernel.boot(KernelConfig.of(state))) {
      LoadFixture fixture = new LoadFixture(kernel);
      Files.createSymbolicLink(fixture.drivers().resolve("Linked.jar"), image.toAbsolutePath());
      fixture.scriptedService("Linked", "Linked.jar");

      assertThat(fixture.load("Linked")).isEqualTo(STATUS_DRIVER_BLOCKED);
      assertThat(fixture.driverNames()).isEmpty();
      assertThat(fixture.images()).isEmpty();

      Files.delete(fixture.drivers().resolve("Linked.jar"));
      fixture.scriptedImage("Linked.jar");
      assertThat(fixture.load("Linked")).isEqualTo(STATUS_SUCCESS);
    }
  }
}
