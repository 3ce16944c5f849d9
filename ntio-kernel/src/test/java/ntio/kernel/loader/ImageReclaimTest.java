package ntio.kernel.loader;

import static ntio.kernel.loader.LoaderFixture.ECHO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import ntio.ddk.NtStatus;
import ntio.kernel.loader.testdrivers.EchoDriver;
import ntio.kernel.testing.DriverJars;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reclaim asks for class unloading once enough images were unmapped, runs that request where
 * it was told to, and does not ask again and again for loaders that stay reachable.
 */
class ImageReclaimTest {

  private static final int THRESHOLD = 4;

  @TempDir
  Path temp;

  private final List<Runnable> requested = new ArrayList<>();
  private final Executor recording = requested::add;
  private ImageReclaim reclaim;
  private DriverLoader loader;

  @BeforeEach
  void boot() {
    LoaderFixture fixture = new LoaderFixture(temp);
    DriverJars.driver(fixture.drivers, "Echo.jar", EchoDriver.class);
    reclaim = new ImageReclaim(THRESHOLD, recording);
    loader = new DriverLoader(fixture.systemRoot, ImagePolicy.defaults(fixture.systemRoot), reclaim);
  }

  @Test
  void everyUnmappedImageIsCountedUntilItsLoaderIsCollected() {
    mapRunAndUnmap();
    mapRunAndUnmap();

    assertThat(reclaim.uncollected()).isEqualTo(2);
    assertThat(requested).isEmpty();
  }

  @Test
  @Timeout(60)
  void theThresholdOfUnmappedImagesAsksForOneCollectionThatClearsThem() {
    for (int i = 0; i < THRESHOLD - 1; i++) {
      mapRunAndUnmap();
    }
    assertThat(requested).as("below the threshold").isEmpty();

    mapRunAndUnmap();
    assertThat(requested).as("at the threshold").hasSize(1);
    assertThat(reclaim.requests()).isEqualTo(1);
    mapRunAndUnmap();
    assertThat(requested).as("while the first request is still queued").hasSize(1);

    requested.get(0).run();

    assertThat(eventuallyUncollected()).isZero();
  }

  @Test
  void loadersThatStayReachableDoNotPromptARequestAtEveryUnmap() {
    List<ClassLoader> held = new ArrayList<>();
    for (int i = 0; i < THRESHOLD; i++) {
      held.add(new ClassLoader(null) {});
      reclaim.unmapped(held.get(i));
    }
    assertThat(requested).hasSize(1);
    requested.remove(0).run();
    assertThat(reclaim.uncollected()).isEqualTo(THRESHOLD);

    for (int i = 0; i < THRESHOLD - 1; i++) {
      held.add(new ClassLoader(null) {});
      reclaim.unmapped(held.get(held.size() - 1));
    }
    assertThat(requested).as("only threshold more than were left uncollected ask again").isEmpty();
    held.add(new ClassLoader(null) {});
    reclaim.unmapped(held.get(held.size() - 1));
    assertThat(requested).hasSize(1);
    assertThat(reclaim.requests()).isEqualTo(2);
  }

  @Test
  void aThresholdOfZeroNeverAsks() {
    ImageReclaim never = new ImageReclaim(0, recording);
    never.unmapped(new ClassLoader(null) {});

    assertThat(requested).isEmpty();
    assertThat(never.threshold()).isZero();
    assertThat(never.requests()).isZero();
  }

  @Test
  void aNegativeThresholdIsRefused() {
    assertThatThrownBy(() -> new ImageReclaim(-1, recording))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
  }

  @Test
  void anExecutorThatRefusesLeavesTheReclaimFreeToAskAgain() {
    ImageReclaim refusing = new ImageReclaim(1, routine -> {
      throw new IllegalStateException("queue closed");
    });
    ClassLoader held = new ClassLoader(null) {};

    assertThatThrownBy(() -> refusing.unmapped(held)).hasMessage("queue closed");
    assertThatThrownBy(() -> refusing.unmapped(held)).as("asked again, not stuck as requested")
        .hasMessage("queue closed");
  }

  private void mapRunAndUnmap() {
    LoadedImage image = mapped();
    assertThat(image.newEntryPoint().driverEntry().driverEntry(null, null))
        .isEqualTo(NtStatus.STATUS_SUCCESS);
    loader.unmap(image);
  }

  /** The reclaim's count once the collector had every chance to clear the unmapped loaders. */
  private int eventuallyUncollected() {
    for (int cycle = 0; cycle < 50 && reclaim.uncollected() > 0; cycle++) {
      System.gc();
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return reclaim.uncollected();
  }

  private LoadedImage mapped() {
    DriverLoader.MapResult result = loader.map("Echo", ECHO);
    assertThat(result.status()).as(result.detail()).isEqualTo(NtStatus.STATUS_SUCCESS);
    return result.image();
  }
}
