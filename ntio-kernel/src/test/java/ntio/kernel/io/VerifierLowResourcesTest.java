package ntio.kernel.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import ntio.api.DriverStatistics;
import ntio.api.FaultSettings;
import ntio.api.VerifierSettings;
import ntio.ddk.NtStatus;
import ntio.ddk.RegValue;
import ntio.kernel.verifier.CallSite;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verifier's randomized (DV6, T24) and systematic (DV7, T25) low resources simulations and
 * its per-load statistics, through a real image loaded by the real loader on a simulated clock.
 */
@Timeout(120)
class VerifierLowResourcesTest {

  private static final String SERVICE = "FaultLab";
  private static final String IMAGE = "FaultLab.jar";

  @TempDir Path state;

  private FaultLab faults;

  @BeforeEach
  void boot() {
    faults = new FaultLab(state);
  }

  @AfterEach
  void shutDown() {
    faults.close();
  }

  private void verify(int flags, FaultSettings settings) {
    faults.verifier.setVolatileSettings(VerifierSettings.parse(IMAGE, flags).withFaults(settings));
  }

  private void loadAndUnload() {
    assertThat(faults.lab.load(SERVICE)).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(faults.lab.unload(SERVICE)).isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  private DriverStatistics current() {
    return faults.verifier.query(IMAGE).orElseThrow();
  }

  @Test
  void T24_nothingFailsBeforeTheDelayThenAboutTheProbabilityOfTheFilteredTagFailsAndNothingElse() {
    verify(VerifierSettings.LOW_RESOURCES_SIMULATION,
        new FaultSettings(1000, List.of("Tag1"), Duration.ofMinutes(5), 24));
    faults.install(SERVICE, "burst");
    faults.burst(SERVICE, 10_000, "Tag1", "Tag2", "@irp");
    faults.clock.advance(Duration.ofMinutes(4));

    loadAndUnload();

    IoLab.Observed early = faults.observed(SERVICE);
    assertThat(early.dword("Tag1.Failed")).as("before t = 5 min").isZero();
    assertThat(early.dword("Tag1.Succeeded")).isEqualTo(10_000);
    assertThat(early.dword("Tag2.Failed")).isZero();
    assertThat(current().faultsInjected()).isZero();

    faults.clock.advance(Duration.ofMinutes(2));
    assertThat(faults.lab.load(SERVICE)).isEqualTo(NtStatus.STATUS_SUCCESS);

    IoLab.Observed late = faults.observed(SERVICE);
    int failed = late.dword("Tag1.Failed");
    assertThat(failed).as("about 10 %% of 10,000").isBetween(850, 1150);
    assertThat(failed + late.dword("Tag1.Succeeded")).isEqualTo(10_000);
    assertThat(late.dword("Tag2.Failed")).as("another tag").isZero();
    assertThat(late.dword("@irp.Failed")).as("IRPs carry their own tag").isZero();
    DriverStatistics figures = current();
    assertThat(figures.loaded()).isTrue();
    assertThat(figures.faultsInjected()).as("Resource Allocations Failed Deliberately").isEqualTo(failed);
    assertThat(figures.allocations()).isEqualTo(20_000 - failed);
    assertThat(figures.frees()).isEqualTo(figures.allocations());
    assertThat(figures.outstanding()).isZero();
    assertThat(faults.verifier.query()).as("this load, then the last unloaded one")
        .extracting(DriverStatistics::loaded, DriverStatistics::faultsInjected)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(true, (long) failed),
            org.assertj.core.groups.Tuple.tuple(false, 0L));
  }

  @Test
  void DV6_theSameSeedFailsTheSameCallsOnEveryLoad() {
    verify(VerifierSettings.LOW_RESOURCES_SIMULATION,
        new FaultSettings(600, List.of(), Duration.ZERO, 7));
    faults.install(SERVICE, "burst");
    faults.burst(SERVICE, 2_000, "Tag1");

    loadAndUnload();
    int first = faults.observed(SERVICE).dword("Tag1.Failed");
    loadAndUnload();
    int second = faults.observed(SERVICE).dword("Tag1.Failed");

    assertThat(first).as("about 6 %% of 2,000").isBetween(70, 170);
    assertThat(second).isEqualTo(first);
  }

  @Test
  void DV6_theRegistrysFaultValuesConfigureTheSimulationAndIrpsAndDevicesAreEligible() {
    faults.verifyInRegistry(
        RegValue.string("VerifyDrivers", IMAGE),
        RegValue.dword("VerifyDriverLevel", VerifierSettings.LOW_RESOURCES_SIMULATION),
        RegValue.dword(VerifierSettings.FAULT_PROBABILITY_VALUE, 10_000),
        RegValue.string(VerifierSettings.FAULT_TAGS_VALUE, "Ta?1 Irp* Dev*"),
        RegValue.dword(VerifierSettings.FAULT_DELAY_VALUE, 0),
        RegValue.qword(VerifierSettings.FAULT_SEED_VALUE, 99));
    faults.install(SERVICE, "burst");
    faults.burst(SERVICE, 5, "Tag1", "Tag2", "@irp", "@device");

    loadAndUnload();

    IoLab.Observed seen = faults.observed(SERVICE);
    assertThat(seen.dword("Tag1.Failed")).isEqualTo(5);
    assertThat(seen.dword("Tag2.Failed")).isZero();
    assertThat(seen.dword("@irp.Failed")).as("IoAllocateIrp returned null").isEqualTo(5);
    assertThat(seen.dword("@device.Failed")).as("IoCreateDevice: STATUS_INSUFFICIENT_RESOURCES").isEqualTo(5);
    assertThat(faults.verifier.query(IMAGE).orElseThrow().faultsInjected()).isEqualTo(15);
    FaultSettings read = faults.verifier.settings().faults();
    assertThat(read).isEqualTo(new FaultSettings(10_000, List.of("Ta?1", "Irp*", "Dev*"), Duration.ZERO, 99));
  }

  @Test
  void DV6_unusableFaultValuesFallBackToTheDefaultsAndSaySo() {
    faults.verifyInRegistry(
        RegValue.string("VerifyDrivers", IMAGE),
        RegValue.dword(VerifierSettings.FAULT_PROBABILITY_VALUE, 20_000));

    assertThat(faults.verifier.settings().faults()).isEqualTo(FaultSettings.DEFAULT);
    assertThat(faults.verifier.findings()).anySatisfy(finding ->
        assertThat(finding.message()).contains("20000", "defaults apply"));
  }

  @Test
  void T25_theFirstCallFromEachSiteFailsLaterOnesPassAndAReloadedImageKeepsItsSitesSeen() {
    verify(VerifierSettings.SYSTEMATIC_LOW_RESOURCES, FaultSettings.DEFAULT);
    faults.install(SERVICE, "sites");

    loadAndUnload();

    assertThat(faults.observed(SERVICE).string("S1")).isEqualTo("FAIL,OK,OK");
    assertThat(faults.observed(SERVICE).string("S2")).isEqualTo("FAIL");
    assertThat(current().systematicFaultsInjected()).isEqualTo(2);
    List<CallSite> sites = faults.verifier.systematicSites(IMAGE);
    assertThat(sites).hasSize(2).allSatisfy(site -> {
      assertThat(site.routine()).isEqualTo("ExAllocatePoolWithTag");
      assertThat(site.frames().get(0)).startsWith("ntio.kernel.verifier.faults.FaultLabDriver.sites:");
      assertThat(site.frames()).noneMatch(frame -> frame.startsWith("ntio.kernel.io.")
          || frame.startsWith("java."));
    });

    loadAndUnload();

    assertThat(faults.observed(SERVICE).string("S1")).as("after the reload").isEqualTo("OK,OK,OK");
    assertThat(faults.observed(SERVICE).string("S2")).isEqualTo("OK");
    assertThat(current().systematicFaultsInjected()).isZero();
  }

  @Test
  void DV7_aResetMakesEverySiteFailOnceMore() {
    verify(VerifierSettings.SYSTEMATIC_LOW_RESOURCES, FaultSettings.DEFAULT);
    faults.install(SERVICE, "sites");
    loadAndUnload();

    faults.verifier.resetSystematic(IMAGE);
    assertThat(faults.verifier.systematicSites(IMAGE)).isEmpty();
    loadAndUnload();

    assertThat(faults.observed(SERVICE).string("S1")).isEqualTo("FAIL,OK,OK");
    assertThat(faults.observed(SERVICE).string("S2")).isEqualTo("FAIL");
  }

  @Test
  void DV5_statisticsCountAllocationsFreesAndPeakAndKeepTheLastUnloadedLoad() {
    verify(VerifierSettings.STANDARD_FLAGS, FaultSettings.DEFAULT);
    faults.install(SERVICE, "sites");

    assertThat(faults.lab.load(SERVICE)).isEqualTo(NtStatus.STATUS_SUCCESS);
    faults.verifier.recordFinding(IMAGE, "DV8", "a test finding");
    DriverStatistics loaded = current();
    assertThat(loaded.loaded()).isTrue();
    assertThat(loaded.allocations()).isEqualTo(4);
    assertThat(loaded.frees()).isEqualTo(4);
    assertThat(loaded.outstanding()).isZero();
    assertThat(loaded.peak()).isEqualTo(1);
    assertThat(loaded.findings()).singleElement().satisfies(finding -> {
      assertThat(finding.check()).isEqualTo("DV8");
      assertThat(finding.at()).isEqualTo(FaultLab.BOOT);
    });
    assertThat(faults.lab.unload(SERVICE)).isEqualTo(NtStatus.STATUS_SUCCESS);

    assertThat(faults.verifier.query()).singleElement().satisfies(last -> {
      assertThat(last.loaded()).isFalse();
      assertThat(last.allocations()).isEqualTo(4);
      assertThat(last.findings()).hasSize(1);
    });
    assertThat(faults.verifier.findings()).extracting(f -> f.message()).containsExactly("a test finding");
  }
}
