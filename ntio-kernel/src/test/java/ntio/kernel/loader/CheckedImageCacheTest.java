package ntio.kernel.loader;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import ntio.ddk.NtStatus;
import ntio.kernel.loader.testdrivers.AbstractDriver;
import ntio.kernel.loader.testdrivers.EchoDriver;
import ntio.kernel.loader.testdrivers.InheritedDriver;
import ntio.kernel.testing.DriverJars;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loader keeps images it has checked and reuses one only while its file is unchanged: a
 * reload must never run a stale image.
 */
class CheckedImageCacheTest {

  @TempDir Path temp;

  @Test
  void anUnchangedImageMapsAgainAfterUnmapAsTheSameCheckedImage() {
    LoaderFixture fixture = new LoaderFixture(temp);
    DriverJars.driver(fixture.drivers, "Echo.jar", EchoDriver.class);
    LoadedImage first = fixture.mapped("Echo", LoaderFixture.ECHO);
    String hash = first.sha256();
    fixture.loader.unmap(first);

    LoadedImage second = fixture.mapped("Echo", LoaderFixture.ECHO);

    assertThat(second).isNotSameAs(first);
    assertThat(second.sha256()).isEqualTo(hash);
    assertThat(second.poolOwner()).isNotEqualTo(first.poolOwner());
    assertThat(second.newEntryPoint().status()).isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  @Test
  void aReplacedImageIsReadAndCheckedAgain() throws IOException {
    LoaderFixture fixture = new LoaderFixture(temp);
    Path jar = DriverJars.driver(fixture.drivers, "Echo.jar", EchoDriver.class);
    LoadedImage first = fixture.mapped("Echo", LoaderFixture.ECHO);
    fixture.loader.unmap(first);

    DriverJars.image("Echo.jar").entry(InheritedDriver.class).add(AbstractDriver.class).writeTo(fixture.drivers);
    // Keep the modification time: size and file identity must still tell the change.
    Files.setLastModifiedTime(jar, FileTime.from(Instant.ofEpochSecond(1_700_000_000)));
    LoadedImage second = fixture.mapped("Echo", LoaderFixture.ECHO);

    assertThat(second.sha256()).isNotEqualTo(first.sha256());
    assertThat(second.entryClassName()).isEqualTo(InheritedDriver.class.getName());
  }

  @Test
  void anImageCorruptedAfterItWasCheckedIsRefusedOnTheNextMap() throws IOException {
    LoaderFixture fixture = new LoaderFixture(temp);
    Path jar = DriverJars.driver(fixture.drivers, "Echo.jar", EchoDriver.class);
    fixture.loader.unmap(fixture.mapped("Echo", LoaderFixture.ECHO));

    Files.write(jar, new byte[] {'n', 'o', 't', ' ', 'a', ' ', 'j', 'a', 'r'});

    assertThat(fixture.loader.map("Echo", LoaderFixture.ECHO).status())
        .isEqualTo(NtStatus.STATUS_INVALID_IMAGE_FORMAT);
  }
}
