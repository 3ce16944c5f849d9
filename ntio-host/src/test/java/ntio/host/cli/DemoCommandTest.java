package ntio.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The story {@code ntio demo} tells about faulty drivers: the verifier's catch and a driver's use after free. */
class DemoCommandTest {

  @TempDir
  static Path state;

  private static CliHarness.Result demo;

  @BeforeAll
  static void runTheDemo() {
    demo = CliHarness.run("--state", state.toString(), "demo");
  }

  @Test
  void theVerifierCatchesLeakyNamingTheDriverTheTagAndTheLine() {
    assertThat(demo.exitCode()).isZero();
    assertThat(demo.out().lines().toList()).containsSubsequence(
        "6. A DriverEntry that fails after allocating: Leaky, then Tidy on the framework",
        "   On a second kernel (leaky-under-verifier), Leaky again, under Driver Verifier:",
        "   NtLoadDriver(Leaky): the unload scan finds the leak and stops that kernel: STATUS_SYSTEM_SHUTDOWN (0xC00002EB)",
        "   bug check 0x000000C4 (DRIVER_VERIFIER_DETECTED_VIOLATION) (0x62, 0x0, 0x0, 0x1)",
        "   Driver:      Leaky.jar",
        "   Message:     Leaky.jar is unloading without freeing 1 pool allocation:",
        "7. Pool with tags, and a use after free");
    assertThat(demo.out()).containsPattern("tag 'Leak' \\(0x6B61654C\\), 64 bytes NON_PAGED, at 0xFFFFA[0-9A-F]{11}, "
        + "allocated at image:Leaky.jar//ntio.drivers.leaky.LeakyDriver.driverEntry\\(LeakyDriver.java:\\d+\\)");
  }

  @Test
  void theUseAfterFreeHappensInTheStaleDriversIoctlAndIsBlamedOnIt() {
    assertThat(demo.out().lines().toList()).containsSubsequence(
        "   NtLoadDriver(Stale): STATUS_SUCCESS (0x00000000)",
        "   ExAllocatePoolWithTag(NonPaged, 64, 'Demo') in Stale's IOCTL: STATUS_SUCCESS (0x00000000)",
        "   tag Demo: 1 outstanding, 64 bytes",
        "   Stale's other IOCTL frees the block, then reads it: a use after free: STATUS_SYSTEM_SHUTDOWN (0xC00002EB)",
        "   Driver:      Stale.jar");
    assertThat(demo.out()).contains("tag 'Demo' (0x6F6D6544), NON_PAGED, owner Stale.jar, freed)");
  }
}
