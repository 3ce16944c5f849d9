package ntio.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ntio.kernel.loader.ImageReclaim;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class NullDriverCycleTest {

  @Test
  void cyclesRepeatAndLeaveNoDriverAndNoImageBehind() throws Exception {
    try (NullDriverCycle cycle = NullDriverCycle.boot(ImageReclaim.DEFAULT_THRESHOLD)) {
      for (int i = 0; i < 3; i++) {
        cycle.run();
      }

      assertThat(cycle.kernel().io().drivers()).noneMatch(d -> d.service().equals("Null"));
      assertThat(cycle.kernel().io().loader().loadedImages()).isEmpty();
    }
  }

  @Test
  void theUnsignedImageHasNoSignatureFilesAndCyclesAsTheSignedOneDoes() throws Exception {
    try (NullDriverCycle cycle = NullDriverCycle.bootUnsigned(ImageReclaim.DEFAULT_THRESHOLD)) {
      try (java.util.jar.JarFile jar = new java.util.jar.JarFile(cycle.imageFile().toFile(), true)) {
        assertThat(jar.stream().map(java.util.jar.JarEntry::getName)).noneMatch(DriverImage::isSignatureFile)
            .contains("META-INF/MANIFEST.MF");
      }
      for (int i = 0; i < 3; i++) {
        cycle.run();
      }

      assertThat(cycle.kernel().io().loader().loadedImages()).isEmpty();
    }
  }

  @Test
  void theSignedImageKeepsItsSignature() throws Exception {
    java.nio.file.Path file = java.nio.file.Files.createTempFile("ntio-null-", ".jar");
    try {
      DriverImage.NULL.writeTo(file);
      try (java.util.jar.JarFile jar = new java.util.jar.JarFile(file.toFile(), true)) {
        assertThat(jar.stream().map(java.util.jar.JarEntry::getName)).anyMatch(DriverImage::isSignatureFile);
      }
    } finally {
      java.nio.file.Files.deleteIfExists(file);
    }
  }

  @Test
  void aCycleWhoseLoadFailsThrowsNamingTheStep() throws Exception {
    try (NullDriverCycle cycle = NullDriverCycle.boot(ImageReclaim.DEFAULT_THRESHOLD)) {
      cycle.kernel().shutdown();

      assertThatThrownBy(cycle::run)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("NtLoadDriver(Null) returned " + ntio.ddk.NtStatus.STATUS_SYSTEM_SHUTDOWN
              + ", not STATUS_SUCCESS");
    }
  }
}
