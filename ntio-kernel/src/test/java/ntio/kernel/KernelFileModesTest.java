package ntio.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a kernel booted on a missing state directory makes, and with which mode: each exact, so
 * that a mode left to the umask (0755/0644 under 022, 0777/0666 under 000) fails.
 */
class KernelFileModesTest {

  @TempDir
  Path temp;

  @Test
  void bootingOnAMissingStateDirectoryMakesEveryDirectory0700AndTheHive0600() throws IOException {
    Path state = temp.resolve("var").resolve("ntio");

    try (Kernel kernel = Kernel.boot(KernelConfig.of(state))) {
      assertThat(kernel.isRunning()).isTrue();
    }

    for (String directory : new String[] {"", "registry", "SystemRoot", "SystemRoot/System32",
        "SystemRoot/System32/drivers"}) {
      Path path = directory.isEmpty() ? state : state.resolve(directory);
      assertThat(mode(path)).as("%s", path).isEqualTo("rwx------");
    }
    assertThat(mode(state.getParent())).isEqualTo("rwx------");
    assertThat(mode(state.resolve(Kernel.HIVE_FILE))).isEqualTo("rw-------");
    try (var files = Files.list(state.resolve("registry"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("SYSTEM.mv.db");
    }
  }

  @Test
  void aHiveThatAlreadyExistsKeepsItsMode() throws IOException {
    Path state = temp.resolve("state");
    Kernel.boot(KernelConfig.of(state)).shutdown();
    Path hive = state.resolve(Kernel.HIVE_FILE);
    Files.setPosixFilePermissions(hive, PosixFilePermissions.fromString("rw-r-----"));

    Kernel.boot(KernelConfig.of(state)).shutdown();

    assertThat(mode(hive)).isEqualTo("rw-r-----");
  }

  private static String mode(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
  }
}
