package ntio.kernel.loader;

import static ntio.kernel.loader.LoaderFixture.ECHO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import ntio.ddk.NtStatus;
import ntio.kernel.loader.testdrivers.EchoDriver;
import ntio.hostfs.FileTrust;
import ntio.kernel.testing.DriverJars;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A policy that requires ownership ({@link ImagePolicy#requiringOwnership}), as {@code ntio host}
 * sets it: an image another user could have written is {@code STATUS_DRIVER_BLOCKED}, with a detail
 * naming the path and why. "Another user" is uid 65534, given with chown, which takes root.
 */
class ImagePolicyOwnershipTest {

  private static final int NOBODY = 65534;

  @TempDir
  Path temp;

  private final FileTrust trust = FileTrust.forThisProcess();
  private LoaderFixture fixture;
  private DriverLoader strict;

  @BeforeEach
  void boot() {
    fixture = new LoaderFixture(temp);
    strict = new DriverLoader(fixture.systemRoot,
        ImagePolicy.defaults(fixture.systemRoot).requiringOwnership(trust));
  }

  @Test
  void anImageOfTheHostsOwnInTrustedDirectoriesIsMapped() {
    DriverJars.driver(fixture.drivers, "Echo.jar", EchoDriver.class);

    DriverLoader.MapResult result = strict.map("Echo", ECHO);

    assertThat(result.status()).as(result.detail()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(strict.policy().ownership()).contains(trust);
  }

  @Test
  void anImageOwnedByAnotherUidIsBlockedNamingItsPathAndOwner() throws IOException {
    assumeTrue(trust.uid() == FileTrust.ROOT_UID, "chown needs root");
    Path jar = DriverJars.driver(fixture.drivers, "Echo.jar", EchoDriver.class);
    Files.setAttribute(jar, "unix:uid", NOBODY);

    DriverLoader.MapResult result = strict.map("Echo", ECHO);

    assertThat(result.status()).isEqualTo(NtStatus.STATUS_DRIVER_BLOCKED);
    assertThat(result.detail()).isEqualTo(ECHO + " is not trusted: " + jar.toRealPath()
        + " is owned by uid 65534, not by root or the host's uid 0; fix: chown 0 " + jar.toRealPath()
        + " (after checking the image), or install it with sc create as the host's user");
  }

  @Test
  void aGroupWritableImageIsBlocked() throws IOException {
    Path jar = DriverJars.driver(fixture.drivers, "Echo.jar", EchoDriver.class);
    Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-rw-r--"));

    DriverLoader.MapResult result = strict.map("Echo", ECHO);

    assertThat(result.status()).isEqualTo(NtStatus.STATUS_DRIVER_BLOCKED);
    assertThat(result.detail()).contains("is writable by its group (mode 0664 (rw-rw-r--)); fix: chmod go-w");
  }

  @Test
  void anImageOutsideTheStateDirectoryIsJudgedByItsOwnDirectories() throws IOException {
    Path open = Files.createDirectory(temp.resolve("open"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path jar = DriverJars.driver(open, "Echo.jar", EchoDriver.class);
    DriverLoader anywhere = new DriverLoader(fixture.systemRoot,
        ImagePolicy.allowing(fixture.systemRoot, List.of(open)).requiringOwnership(trust));

    DriverLoader.MapResult result = anywhere.map("Echo", "\\??\\" + jar);

    assertThat(result.status()).isEqualTo(NtStatus.STATUS_DRIVER_BLOCKED);
    assertThat(result.detail()).contains(open.toRealPath() + " is writable by others");
  }

  @Test
  void withoutTheRequirementAnotherUsersImageIsMappedAsAnEmbeddedKernelNeeds() throws IOException {
    assumeTrue(trust.uid() == FileTrust.ROOT_UID, "chown needs root");
    Path jar = DriverJars.driver(fixture.drivers, "Echo.jar", EchoDriver.class);
    Files.setAttribute(jar, "unix:uid", NOBODY);

    assertThat(fixture.loader.map("Echo", ECHO).status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(fixture.loader.policy().ownership()).isEmpty();
  }
}
