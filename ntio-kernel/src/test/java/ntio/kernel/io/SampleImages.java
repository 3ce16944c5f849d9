package ntio.kernel.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

/**
 * Where the sample driver images (Null, Echo, Filter, Leaky) are: the {@code ntio.samples} system
 * property the build sets to {@code ntio-drivers/target/drivers}, which the reactor fills before
 * this module's tests run.
 */
final class SampleImages {

  private SampleImages() {}

  /** The directory holding {@code Null.jar}, {@code Echo.jar}, {@code Filter.jar}, {@code Leaky.jar}. */
  static Path directory() {
    return ntio.kernel.testing.ServiceInstaller.sampleDirectory();
  }

  /** One sample image, which must exist: build from the root with {@code mvn -B verify}. */
  static Path image(String name) {
    Path image = directory().resolve(name + ".jar");
    assertThat(image).as("sample image " + name + ".jar (build the reactor from its root: mvn -B verify)").exists();
    return image;
  }
}
