package ntio.kernel.loader;

import static ntio.kernel.loader.LoaderFixture.ECHO;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import ntio.ddk.DriverEntry;
import ntio.ddk.NtStatus;
import ntio.kernel.loader.testdrivers.EchoDriver;
import ntio.kernel.testing.DriverJars;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class UnloadProbeTest {

  /** Enough collections for any collector to clear a weakly reachable loader. */
  private static final int CYCLES = 200;

  @TempDir
  Path temp;

  private LoaderFixture fixture;

  @BeforeEach
  void boot() {
    fixture = new LoaderFixture(temp);
    DriverJars.driver(fixture.drivers, "Echo.jar", EchoDriver.class);
  }

  @Test
  @Timeout(30)
  void anUnmappedImagesClassLoaderIsCollectedOnceItsEntryPointIsDropped() {
    LoadedImage image = mapRunAndUnmap();
    UnloadProbe probe = UnloadProbe.of(image);

    assertThat(probe.awaitCollected(CYCLES)).as(probe.toString()).isTrue();
    assertThat(image.unloadedLoaderReference().refersTo(null)).isTrue();
    assertThat(probe.toString()).contains("Echo.jar", "collected");
  }

  @Test
  @Timeout(30)
  void anEntryPointStillHeldKeepsTheLoaderAlive() {
    LoadedImage image = fixture.mapped("Echo", ECHO);
    DriverEntry held = image.newEntryPoint().driverEntry();
    assertThat(held.driverEntry(null, null)).isEqualTo(NtStatus.STATUS_SUCCESS);
    fixture.loader.unmap(image);
    UnloadProbe probe = UnloadProbe.of(image);

    assertThat(probe.awaitCollected(5)).isFalse();
    // Classes it already linked still run; the unmap only stops new ones from being defined.
    assertThat(held.driverEntry(null, null)).isEqualTo(NtStatus.STATUS_SUCCESS);

    held = null;
    assertThat(held).isNull();
    assertThat(probe.awaitCollected(CYCLES)).isTrue();
  }

  @Test
  void aMappedImageIsNotCollected() {
    LoadedImage image = fixture.mapped("Echo", ECHO);

    assertThat(UnloadProbe.of(image).awaitCollected(3)).isFalse();
    assertThat(image.isMapped()).isTrue();
  }

  /** Maps Echo, runs its entry point, unmaps it; only the unmapped image escapes this frame. */
  private LoadedImage mapRunAndUnmap() {
    LoadedImage image = fixture.mapped("Echo", ECHO);
    LoadedImage.EntryPoint entry = image.newEntryPoint();
    assertThat(entry.driverEntry().driverEntry(null, null)).isEqualTo(NtStatus.STATUS_SUCCESS);
    fixture.loader.unmap(image);
    return image;
  }
}
