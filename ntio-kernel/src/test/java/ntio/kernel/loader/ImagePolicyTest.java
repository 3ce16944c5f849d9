package ntio.kernel.loader;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import ntio.ddk.NtStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagePolicyTest {

  @TempDir
  Path temp;

  private Path systemRoot;
  private Path drivers;
  private Path outside;

  @BeforeEach
  void createTree() throws Exception {
    systemRoot = Files.createDirectories(temp.resolve("SystemRoot"));
    drivers = Files.createDirectories(systemRoot.resolve("System32").resolve("drivers"));
    outside = Files.createDirectories(temp.resolve("elsewhere"));
  }

  @Test
  void byDefaultOnlyTheDriversDirectoryIsAllowed() throws Exception {
    ImagePolicy policy = ImagePolicy.defaults(systemRoot);

    assertThat(policy.check(file(drivers, "Echo.jar"))).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(policy.check(file(Files.createDirectories(drivers.resolve("sub")), "Deep.jar")))
        .isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(policy.check(file(systemRoot, "Root.jar"))).isEqualTo(NtStatus.STATUS_DRIVER_BLOCKED);
    assertThat(policy.check(file(outside, "Out.jar"))).isEqualTo(NtStatus.STATUS_DRIVER_BLOCKED);
    assertThat(NtStatus.STATUS_DRIVER_BLOCKED.code()).isEqualTo(0xC000036C);
  }

  @Test
  void aSiblingWhoseNameStartsLikeTheDriversDirectoryIsOutside() throws Exception {
    Path sibling = Files.createDirectories(drivers.resolveSibling("drivers2"));
    assertThat(ImagePolicy.defaults(systemRoot).check(file(sibling, "Echo.jar")))
        .isEqualTo(NtStatus.STATUS_DRIVER_BLOCKED);
  }

  @Test
  void configuredDirectoriesAreAllowedToo() throws Exception {
    ImagePolicy policy = ImagePolicy.allowing(systemRoot, List.of(outside));

    assertThat(policy.check(file(outside, "Out.jar"))).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(policy.check(file(drivers, "Echo.jar"))).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(policy.check(file(systemRoot, "Root.jar"))).isEqualTo(NtStatus.STATUS_DRIVER_BLOCKED);
    assertThat(policy.allowedDirectories()).containsExactly(drivers, outside);
    assertThat(policy.allowsAnyPath()).isFalse();
  }

  @Test
  void anyPathAllowsEveryExistingFile() throws Exception {
    ImagePolicy policy = ImagePolicy.anyPath();

    assertThat(policy.check(file(outside, "Out.jar"))).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(policy.allowsAnyPath()).isTrue();
    assertThat(policy.check(outside.resolve("Missing.jar")))
        .isEqualTo(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND);
  }

  @Test
  void aLinkInTheDriversDirectoryPointingOutsideIsBlocked() throws Exception {
    Path target = file(outside, "Smuggled.jar");
    Path link = Files.createSymbolicLink(drivers.resolve("Smuggled.jar"), target);

    assertThat(ImagePolicy.defaults(systemRoot).check(link)).isEqualTo(NtStatus.STATUS_DRIVER_BLOCKED);
  }

  @Test
  void aLinkedDirectoryInsideTheDriversDirectoryPointingOutsideIsBlocked() throws Exception {
    file(outside, "Smuggled.jar");
    Path linkedDirectory = Files.createSymbolicLink(drivers.resolve("linked"), outside);

    assertThat(ImagePolicy.defaults(systemRoot).check(linkedDirectory.resolve("Smuggled.jar")))
        .isEqualTo(NtStatus.STATUS_DRIVER_BLOCKED);
  }

  @Test
  void aLinkOutsidePointingIntoTheDriversDirectoryIsAllowed() throws Exception {
    Path target = file(drivers, "Echo.jar");
    Path link = Files.createSymbolicLink(outside.resolve("Echo.jar"), target);

    assertThat(ImagePolicy.defaults(systemRoot).check(link)).isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  @Test
  void aMissingFileOrDanglingLinkIsObjectNameNotFound() throws Exception {
    ImagePolicy policy = ImagePolicy.defaults(systemRoot);
    Path dangling = Files.createSymbolicLink(drivers.resolve("Dangling.jar"),
        outside.resolve("Gone.jar"));

    assertThat(policy.check(drivers.resolve("Missing.jar")))
        .isEqualTo(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND);
    assertThat(policy.check(dangling)).isEqualTo(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND);
  }

  @Test
  void aMissingAllowedDirectoryAllowsNothing() throws Exception {
    ImagePolicy policy = ImagePolicy.allowing(systemRoot, List.of(temp.resolve("not-there")));
    assertThat(policy.check(file(outside, "Out.jar"))).isEqualTo(NtStatus.STATUS_DRIVER_BLOCKED);
  }

  private static Path file(Path directory, String name) throws Exception {
    return Files.write(directory.resolve(name), new byte[] {1});
  }
}
