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
import java.util.ArrayList;
import java.util.List;
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
  // The bound in bytes --------------------------------------------------------------------------

  private static final int MIB = 1 << 20;

  @Test
  void unloadedImagesKeepNoMoreThanTheCacheBound() {
    LoaderFixture fixture = new LoaderFixture(temp);
    long bound = 5L * MIB;
    DriverLoader loader = new DriverLoader(fixture.systemRoot, ImagePolicy.defaults(fixture.systemRoot),
        ImageReclaim.never(), LoaderLimits.DEFAULTS.withCheckedImageCacheBytes(bound));
    List<LoadedImage> images = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      // Each image holds 2 MiB of data: four of them are 8 MiB, more than the bound.
      DriverJars.image("Big" + i + ".jar").entry(EchoDriver.class)
          .file("data.bin", new byte[2 * MIB]).writeTo(fixture.drivers);
      DriverLoader.MapResult mapped = loader.map("Big" + i, LoaderFixture.driverPath("Big" + i + ".jar"));
      assertThat(mapped.status()).as(mapped.detail()).isEqualTo(NtStatus.STATUS_SUCCESS);
      images.add(mapped.image());
    }
    images.forEach(loader::unmap);

    assertThat(loader.checkedImageBytes()).isBetween(2L * MIB, bound);
  }

  @Test
  void anImageLargerThanTheCacheBoundIsNeverKeptAndStillMapsAgain() {
    LoaderFixture fixture = new LoaderFixture(temp);
    DriverLoader loader = new DriverLoader(fixture.systemRoot, ImagePolicy.defaults(fixture.systemRoot),
        ImageReclaim.never(), LoaderLimits.DEFAULTS.withCheckedImageCacheBytes(MIB));
    DriverJars.image("Echo.jar").entry(EchoDriver.class).file("data.bin", new byte[2 * MIB])
        .writeTo(fixture.drivers);

    DriverLoader.MapResult first = loader.map("Echo", LoaderFixture.ECHO);
    loader.unmap(first.image());
    assertThat(loader.checkedImageBytes()).isZero();
    DriverLoader.MapResult second = loader.map("Echo", LoaderFixture.ECHO);

    assertThat(second.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(second.image().sha256()).isEqualTo(first.image().sha256());
    assertThat(loader.checkedImageBytes()).isZero();
  }

  @Test
  void theLeastRecentlyUsedEntriesAreEvictedUntilTheBytesFit() {
    CheckedImageCache<String> cache = new CheckedImageCache<>(64, 100);
    cache.put(Path.of("a"), "a", 40);
    cache.put(Path.of("b"), "b", 40);
    assertThat(cache.get(Path.of("a"))).isEqualTo("a");

    cache.put(Path.of("c"), "c", 40);

    assertThat(cache.get(Path.of("b"))).isNull();
    assertThat(cache.get(Path.of("a"))).isEqualTo("a");
    assertThat(cache.get(Path.of("c"))).isEqualTo("c");
    assertThat(cache.retainedBytes()).isEqualTo(80);
  }

  @Test
  void anEntryLargerThanTheBoundReplacesNothingAndIsNotKept() {
    CheckedImageCache<String> cache = new CheckedImageCache<>(64, 100);
    cache.put(Path.of("a"), "old a", 40);
    cache.put(Path.of("b"), "b", 40);

    cache.put(Path.of("a"), "new a", 101);

    assertThat(cache.get(Path.of("a"))).isNull();
    assertThat(cache.get(Path.of("b"))).isEqualTo("b");
    assertThat(cache.retainedBytes()).isEqualTo(40);
  }

  @Test
  void theEntryCountIsBoundedToo() {
    CheckedImageCache<String> cache = new CheckedImageCache<>(2, Long.MAX_VALUE);
    cache.put(Path.of("a"), "a", 1);
    cache.put(Path.of("b"), "b", 1);
    cache.put(Path.of("c"), "c", 1);

    assertThat(cache.size()).isEqualTo(2);
    assertThat(cache.get(Path.of("a"))).isNull();
    assertThat(cache.retainedBytes()).isEqualTo(2);
  }
}
