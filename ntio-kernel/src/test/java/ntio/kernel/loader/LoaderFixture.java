package ntio.kernel.loader;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import ntio.ddk.NtStatus;

/** A system root with its drivers directory, and a loader over it with the default policy. */
final class LoaderFixture {

  /** Where the default image path of service {@code Echo} points. */
  static final String ECHO = "\\SystemRoot\\System32\\drivers\\Echo.jar";

  final Path systemRoot;
  final Path drivers;
  final DriverLoader loader;

  LoaderFixture(Path temp) {
    try {
      this.systemRoot = Files.createDirectories(temp.resolve("SystemRoot"));
      this.drivers = Files.createDirectories(systemRoot.resolve("System32").resolve("drivers"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.loader = new DriverLoader(systemRoot, ImagePolicy.defaults(systemRoot));
  }

  /** {@code \SystemRoot\System32\drivers\<fileName>}. */
  static String driverPath(String fileName) {
    return "\\SystemRoot\\System32\\drivers\\" + fileName;
  }

  /** Maps an image that must map. */
  LoadedImage mapped(String service, String ntPath) {
    DriverLoader.MapResult result = loader.map(service, ntPath);
    assertThat(result.status()).as(result.detail()).isEqualTo(NtStatus.STATUS_SUCCESS);
    return result.image();
  }
}
