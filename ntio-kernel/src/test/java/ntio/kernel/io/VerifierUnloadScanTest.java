package ntio.kernel.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import ntio.api.VerifierSettings;
import ntio.ddk.NtStatus;
import ntio.kernel.executive.BugCheck;
import ntio.kernel.executive.PoolAllocation;
import ntio.kernel.io.leaktests.KernelPackageLeaker;
import ntio.kernel.io.leaktests.PoolHolder;
import ntio.kernel.testing.DriverJars;
import ntio.kernel.verifier.Verifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Driver Verifier's pool tracking and unload scan through the real Leaky.jar and Null.jar: the
 * leak of a failed DriverEntry is caught when the image is unmapped (DV4), for images the
 * registry or the volatile settings name (DV1), and only with pool tracking on.
 */
@Timeout(60)
class VerifierUnloadScanTest {

  @TempDir Path state;

  private IoLab lab;

  @BeforeEach
  void boot() {
    lab = IoLab.boot(state);
  }

  @AfterEach
  void shutDown() {
    lab.close();
  }

  @Test
  void DV4_theLeakOfAFailedDriverEntryIsBugCheck0xC4_0x62AtTheUnmapNamingTagSizeAndSite() {
    lab.verifyDrivers("Leaky.jar", VerifierSettings.STANDARD_FLAGS);
    lab.installSample("Leaky");

    NtStatus loaded = lab.load("Leaky");

    assertThat(loaded).as("the kernel halted on the bug check").isEqualTo(NtStatus.STATUS_SYSTEM_SHUTDOWN);
    BugCheck found = lab.kernel.bugChecks().first().orElseThrow();
    assertThat(found.code()).isEqualTo(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION);
    assertThat(found.parameter1()).isEqualTo(Verifier.POOL_LEAK_AT_UNLOAD);
    assertThat(found.parameter4()).as("allocations not freed").isEqualTo(1);
    assertThat(found.driver()).isEqualTo("Leaky.jar");
    assertThat(found.message()).contains("tag 'Leak'", "64 bytes",
        "ntio.drivers.leaky.LeakyDriver.driverEntry(LeakyDriver.java:");
  }

  @Test
  void DV4_theSiteIsTheImagesOwnFrameEvenWhenItsClassesClaimAKernelPackage() {
    installTracked("KLeak", KernelPackageLeaker.class);

    assertThat(lab.load("KLeak")).isEqualTo(NtStatus.STATUS_SYSTEM_SHUTDOWN);

    BugCheck found = lab.kernel.bugChecks().first().orElseThrow();
    assertThat(found.parameter1()).isEqualTo(Verifier.POOL_LEAK_AT_UNLOAD);
    assertThat(found.message()).contains("tag 'KLek'", KernelPackageLeaker.SIZE + " bytes",
        "allocated at image:KLeak.jar//" + KernelPackageLeaker.class.getName()
            + ".allocate(KernelPackageLeaker.java:");
  }

  @Test
  void DV4_aTrackedImagesCallIsThunkedSoItsBlockHasASiteAndNoStack() {
    installTracked("Holder", PoolHolder.class);

    assertThat(lab.load("Holder")).isEqualTo(NtStatus.STATUS_SUCCESS);

    PoolAllocation held = lab.kernel.pool().liveAllocations().stream()
        .filter(allocation -> allocation.tag() == PoolHolder.TAG).findFirst().orElseThrow();
    assertThat(held.allocationSite()).hasValueSatisfying(site -> assertThat(site).startsWith(
        "image:Holder.jar//" + PoolHolder.class.getName() + ".driverEntry(PoolHolder.java:"));
    assertThat(held.allocationStack()).as("no stack was captured").isEmpty();
    assertThat(lab.unload("Holder")).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(lab.kernel.bugChecks().first()).isEmpty();
  }

  /** Installs {@code <service>.jar} holding {@code entry}, verified with pool tracking. */
  private void installTracked(String service, Class<?> entry) {
    DriverJars.driver(state.resolve("SystemRoot").resolve("System32").resolve("drivers"),
        service + ".jar", entry);
    lab.installService(service, service + ".jar");
    lab.verifyDrivers(service + ".jar", VerifierSettings.POOL_TRACKING);
  }

  @Test
  void DV1_volatileSettingsApplyAtTheNextLoadWithoutTheRegistry() {
    lab.kernel.io().verifier().setVolatileSettings(
        VerifierSettings.parse("leaky.JAR", VerifierSettings.POOL_TRACKING));
    lab.installSample("Leaky");

    assertThat(lab.load("Leaky")).isEqualTo(NtStatus.STATUS_SYSTEM_SHUTDOWN);
    assertThat(lab.kernel.bugChecks().first().orElseThrow().parameter1())
        .isEqualTo(Verifier.POOL_LEAK_AT_UNLOAD);
  }

  @Test
  void withoutTheVerifierTheLeakStaysInThePoolAndDriverEntrysStatusComesBack() {
    lab.installSample("Leaky");

    assertThat(lab.load("Leaky")).isEqualTo(NtStatus.STATUS_INSUFFICIENT_RESOURCES);
    assertThat(lab.kernel.bugChecks().first()).isEmpty();
    assertThat(lab.kernel.pool().usageByOwner()).anySatisfy(usage ->
        assertThat(usage.toString()).contains("Leaky.jar"));
  }

  @Test
  void DV3_levelsWithoutPoolTrackingDoNotScan() {
    lab.verifyDrivers("Leaky.jar", 0x10);
    lab.installSample("Leaky");

    assertThat(lab.load("Leaky")).isEqualTo(NtStatus.STATUS_INSUFFICIENT_RESOURCES);
    assertThat(lab.kernel.bugChecks().first()).isEmpty();
  }

  @Test
  void DV1_aVerifiedDriverThatFreesWhatItAllocatedLoadsAndUnloadsCleanly() {
    lab.verifyDrivers("*", VerifierSettings.STANDARD_FLAGS);
    lab.installSample("Null");

    for (int cycle = 0; cycle < 3; cycle++) {
      assertThat(lab.load("Null")).isEqualTo(NtStatus.STATUS_SUCCESS);
      assertThat(lab.unload("Null")).isEqualTo(NtStatus.STATUS_SUCCESS);
    }

    assertThat(lab.kernel.bugChecks().first()).isEmpty();
  }

  @Test
  void DV1_anImageTheListDoesNotNameIsNotVerified() {
    lab.verifyDrivers("Other.jar Null.jar", VerifierSettings.STANDARD_FLAGS);
    lab.installSample("Leaky");

    assertThat(lab.load("Leaky")).isEqualTo(NtStatus.STATUS_INSUFFICIENT_RESOURCES);
    assertThat(lab.kernel.bugChecks().first()).isEmpty();
  }
}
