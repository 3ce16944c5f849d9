package ntio.hostfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exact modes at creation. Java cannot set the umask, so every assertion is exact: a mode that
 * came from the umask (0644/0755 under 022) fails them as surely as one a permissive umask (0666,
 * 0777) would give.
 */
class HostFilesTest {

  @TempDir
  Path temp;

  @Test
  void everyMissingDirectoryIsMade0700() throws IOException {
    Path deep = temp.resolve("state").resolve("SystemRoot").resolve("System32").resolve("drivers");

    HostFiles.createPrivateDirectories(deep);

    for (Path p = deep; !p.equals(temp); p = p.getParent()) {
      assertThat(mode(p)).as("%s", p).isEqualTo("rwx------");
    }
  }

  @Test
  void anExistingDirectoryKeepsItsMode() throws IOException {
    Path existing = Files.createDirectory(temp.resolve("existing"));
    Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rwxr-x--x"));

    HostFiles.createPrivateDirectories(existing.resolve("inside"));

    assertThat(mode(existing)).isEqualTo("rwxr-x--x");
    assertThat(mode(existing.resolve("inside"))).isEqualTo("rwx------");
  }

  @Test
  void aSharedDirectoryIsExactly0755() throws IOException {
    HostFiles.createDirectories(temp.resolve("run").resolve("ntio"), HostFiles.SHARED_DIRECTORY);

    assertThat(mode(temp.resolve("run"))).isEqualTo("rwxr-xr-x");
    assertThat(mode(temp.resolve("run").resolve("ntio"))).isEqualTo("rwxr-xr-x");
  }

  @Test
  void aCreatedFileIsExactly0600() throws IOException {
    Path file = temp.resolve("file");

    HostFiles.createFile(file, HostFiles.PRIVATE_FILE);

    assertThat(mode(file)).isEqualTo("rw-------");
  }

  @Test
  void creatingAFileWhereALinkIsFailsAndLeavesTheLinksTargetAlone() throws IOException {
    Path target = Files.writeString(temp.resolve("target"), "precious");
    Path link = Files.createSymbolicLink(temp.resolve("file"), target);

    assertThatThrownBy(() -> HostFiles.createFile(link, HostFiles.PRIVATE_FILE))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThat(Files.readString(target)).isEqualTo("precious");
  }

  @Test
  void aChannelThatCreatesItsFileMakesIt0600() throws IOException {
    Path file = temp.resolve("ntio.lock");

    try (FileChannel channel = HostFiles.open(file, HostFiles.PRIVATE_FILE, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE)) {
      assertThat(channel.isOpen()).isTrue();
    }

    assertThat(mode(file)).isEqualTo("rw-------");
  }

  @Test
  void aChannelIsNeverOpenedThroughALink() throws IOException {
    Path target = Files.writeString(temp.resolve("target"), "precious");
    Path link = Files.createSymbolicLink(temp.resolve("ntio.lock"), target);

    assertThatThrownBy(() -> HostFiles.open(link, HostFiles.PRIVATE_FILE, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("symbolic links");
    assertThat(Files.readString(target)).isEqualTo("precious");
  }

  @Test
  void aReplacedFileHasTheExactModeWhateverTheOldOneHad() throws IOException {
    Path image = Files.writeString(temp.resolve("Echo.jar"), "old");
    Files.setPosixFilePermissions(image, PosixFilePermissions.fromString("rw-rw-rw-"));

    HostFiles.replace(image, new ByteArrayInputStream("new".getBytes(StandardCharsets.UTF_8)),
        HostFiles.PRIVATE_FILE);

    assertThat(Files.readString(image)).isEqualTo("new");
    assertThat(mode(image)).isEqualTo("rw-------");
    try (var files = Files.list(temp)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("Echo.jar");
    }
  }

  @Test
  void replacingALinkReplacesTheLinkNotItsTarget() throws IOException {
    Path target = Files.writeString(temp.resolve("target"), "precious");
    Path link = Files.createSymbolicLink(temp.resolve("Echo.jar"), target);

    HostFiles.replace(link, new ByteArrayInputStream("image".getBytes(StandardCharsets.UTF_8)),
        HostFiles.PRIVATE_FILE);

    assertThat(Files.isSymbolicLink(link)).isFalse();
    assertThat(Files.readString(link)).isEqualTo("image");
    assertThat(Files.readString(target)).isEqualTo("precious");
  }

  @Test
  void modesAreDescribedInOctalAndAsLsShowsThem() {
    assertThat(HostFiles.describeMode(PosixFilePermissions.fromString("rwxr-x--x"))).isEqualTo("0751 (rwxr-x--x)");
    assertThat(HostFiles.octal(HostFiles.PRIVATE_FILE)).isEqualTo(0600);
  }

  private static String mode(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
  }
}
