package ntio.kernel.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import ntio.ddk.NtStatus;
import ntio.kernel.KernelConfig;
import ntio.kernel.loader.ImageReclaim;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kernel asks the JVM to unload the classes of unloaded drivers once enough of them wait, on a
 * System worker and not on the caller's thread, so that linking the next image stays as cheap as
 * the first (docs/performance.md).
 */
@Timeout(60)
class ImageReclaimKernelTest {

  private static final int THRESHOLD = 3;

  @TempDir Path state;

  private IoLab lab;

  @AfterEach
  void shutDown() {
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void theDefaultThresholdIsTheDocumentedOne() {
    assertThat(KernelConfig.of(state).imageReclaimThreshold()).isEqualTo(ImageReclaim.DEFAULT_THRESHOLD);
  }

  @Test
  void unloadingThresholdDriversAsksForACollectionThatClearsTheirLoaders() throws Exception {
    lab = IoLab.boot(KernelConfig.of(state).withImageReclaimThreshold(THRESHOLD));
    lab.installSample("Null");
    ImageReclaim reclaim = lab.kernel.io().loader().reclaim();

    for (int cycle = 0; cycle < THRESHOLD; cycle++) {
      assertThat(lab.load("Null")).isEqualTo(NtStatus.STATUS_SUCCESS);
      assertThat(lab.unload("Null")).isEqualTo(NtStatus.STATUS_SUCCESS);
    }

    assertThat(reclaim.requests()).isEqualTo(1);
    // The last image was unmapped while its unload was still running, so that collection may
    // have found it reachable; the ones before it are collected.
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (reclaim.uncollected() > 1 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(reclaim.uncollected()).as("loaders left after the requested collection")
        .isLessThanOrEqualTo(1);
  }

  @Test
  void aThresholdOfZeroNeverAsks() {
    lab = IoLab.boot(KernelConfig.of(state).withImageReclaimThreshold(0));
    lab.installSample("Null");
    ImageReclaim reclaim = lab.kernel.io().loader().reclaim();

    for (int cycle = 0; cycle < 5; cycle++) {
      assertThat(lab.load("Null")).isEqualTo(NtStatus.STATUS_SUCCESS);
      assertThat(lab.unload("Null")).isEqualTo(NtStatus.STATUS_SUCCESS);
    }

    assertThat(reclaim.requests()).isZero();
  }

  @Test
  void aNegativeThresholdIsRefusedByTheConfiguration() {
    KernelConfig config = KernelConfig.of(state);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> config.withImageReclaimThreshold(-1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
