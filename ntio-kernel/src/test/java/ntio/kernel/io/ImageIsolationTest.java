package ntio.kernel.io;

import static ntio.ddk.NtStatus.STATUS_SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import ntio.ddk.DriverEntry;
import ntio.kernel.Kernel;
import ntio.kernel.KernelConfig;
import ntio.kernel.io.loadtests.scripted.ScriptedDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A loaded image is its own world: its classes come from a class loader of its own, made from the
 * JAR's bytes, and the kernel's classes are out of its reach.
 */
class ImageIsolationTest {

  @TempDir Path state;

  @Test
  void theImagesClassesComeFromAClassLoaderOfTheirOwn() {
    try (Kernel kernel = Kernel.boot(KernelConfig.of(state))) {
      LoadFixture fixture = new LoadFixture(kernel);
      fixture.scriptedService("First");
      fixture.scriptedService("Second");
      assertThat(fixture.load("First")).isEqualTo(STATUS_SUCCESS);
      assertThat(fixture.load("Second")).isEqualTo(STATUS_SUCCESS);

      assertThat(fixture.observedDword("First", ScriptedDriver.OWN_LOADER)).hasValue(1);
      assertThat(fixture.observedString("First", ScriptedDriver.LOADER_NAME)).contains("image:First.jar");
      assertThat(fixture.observedDword("First", ScriptedDriver.CLASS_PATH_COPY_DISTINCT)).hasValue(1);

      KernelDriverObject first = fixture.referenceDriver("\\Driver\\First");
      KernelDriverObject second = fixture.referenceDriver("\\Driver\\Second");
      try {
        Class<?> firstEntry = first.driverInit().getClass();
        Class<?> secondEntry = second.driverInit().getClass();
        // One source, three classes: the class path's, and one per image.
        assertThat(firstEntry.getName()).isEqualTo(ScriptedDriver.class.getName());
        assertThat(firstEntry).isNotEqualTo(ScriptedDriver.class).isNotEqualTo(secondEntry);
        assertThat(firstEntry.getClassLoader()).isNotSameAs(ScriptedDriver.class.getClassLoader())
            .isNotSameAs(ClassLoader.getSystemClassLoader())
            .isNotSameAs(secondEntry.getClassLoader());
        assertThat(firstEntry.getClassLoader().getName()).isEqualTo("image:First.jar");
        // What the image shares with the kernel is the DDK, and only the DDK.
        assertThat(first.driverInit()).isInstanceOf(DriverEntry.class);
      } finally {
        first.dereference();
        second.dereference();
      }
    }
  }

  @Test
  void aKernelClassIsNotFoundFromInsideDriverEntry() {
    try (Kernel kernel = Kernel.boot(KernelConfig.of(state))) {
      LoadFixture fixture = new LoadFixture(kernel);
      fixture.scriptedService("Curious");

      assertThat(fixture.load("Curious")).isEqualTo(STATUS_SUCCESS);

      assertThat(fixture.observedDword("Curious", ScriptedDriver.KERNEL_CLASS_HIDDEN)).hasValue(1);
    }
  }
}
