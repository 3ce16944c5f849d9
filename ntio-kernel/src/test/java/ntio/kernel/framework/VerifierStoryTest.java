package ntio.kernel.framework;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import ntio.api.VerifierSettings;
import ntio.ddk.NtStatus;
import ntio.ddk.RegValue;
import ntio.kernel.executive.BugCheck;
import ntio.kernel.verifier.Verifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The story told both ways, as a new user would tell it: Driver Verifier enabled through
 * the registry (DV1) for the two samples, Leaky (WDM: allocates, then fails DriverEntry) is
 * reported at the unmap naming the driver, the tag and the allocation site; Tidy (the same driver
 * on the framework) fails the same way and leaves nothing, and stays clean across a systematic
 * low-resources sweep (DV7) that fails each allocation and creation point of its DriverEntry in
 * turn, one per load.
 */
@Timeout(120)
class VerifierStoryTest {

  private static final int SYSTEMATIC = VerifierSettings.STANDARD_FLAGS | VerifierSettings.SYSTEMATIC_LOW_RESOURCES;

  @TempDir Path state;
  private FxLab lab;

  @AfterEach
  void shutDown() {
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void DV4_leakyUnderTheVerifierIsReportedAtTheUnmapNamingTheDriverTheTagAndTheSite() {
    lab = new FxLab(state);
    lab.driverVerifier("Leaky.jar Tidy.jar", VerifierSettings.STANDARD_FLAGS);
    lab.installSample("Leaky");

    assertThat(lab.load("Leaky")).as("the kernel stopped").isEqualTo(NtStatus.STATUS_SYSTEM_SHUTDOWN);

    BugCheck report = lab.onlyBugCheck();
    assertThat(report.code()).isEqualTo(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION);
    assertThat(report.parameter1()).isEqualTo(Verifier.POOL_LEAK_AT_UNLOAD);
    assertThat(report.parameter4()).as("allocations leaked").isEqualTo(1);
    assertThat(report.driver()).isEqualTo("Leaky.jar");
    assertThat(report.message()).contains("tag 'Leak'", "ntio.drivers.leaky.LeakyDriver.driverEntry(LeakyDriver.java:");
  }

  @Test
  void L6_tidyUnderTheSameFailureAndASystematicSweepOverItsDriverEntryHasZeroFindings() {
    lab = new FxLab(state);
    lab.driverVerifier("Leaky.jar Tidy.jar", VerifierSettings.STANDARD_FLAGS);
    lab.installSample("Tidy");
    lab.kmdfVerifier("Tidy");
    String parameters = FxLab.SERVICES + "Tidy\\Parameters";

    lab.setValue(parameters, RegValue.dword("FailEntry", 1));
    assertThat(lab.load("Tidy")).as("Leaky's failure").isEqualTo(NtStatus.STATUS_INSUFFICIENT_RESOURCES);
    assertClean();

    lab.setValue(parameters, RegValue.dword("FailEntry", 0));
    lab.driverVerifier("Tidy.jar", SYSTEMATIC);
    List<NtStatus> runs = new ArrayList<>();
    for (int run = 0; run < 32; run++) {
      NtStatus loaded = lab.load("Tidy");
      long faults = injectedByTheNewestLoad();
      runs.add(loaded);
      if (loaded.isSuccess()) {
        assertThat(faults).as("the load that succeeds has nothing left to fail").isZero();
        assertThat(lab.unload("Tidy")).isEqualTo(NtStatus.STATUS_SUCCESS);
        assertClean();
        break;
      }
      assertThat(faults).as("run %d injects exactly one failure", run).isEqualTo(1);
      assertThat(loaded).as("DriverEntry returns the failure it was given").isEqualTo(NtStatus.STATUS_INSUFFICIENT_RESOURCES);
      assertClean();
    }

    assertThat(runs).last().isEqualTo(NtStatus.STATUS_SUCCESS);
    int failures = runs.size() - 1;
    assertThat(failures).as("memory, device init, device object, the device's queue, at least")
        .isGreaterThanOrEqualTo(4)
        .isEqualTo(lab.kernel.io().verifier().systematicSites("Tidy.jar").size());
  }

  /** No bug check, no finding against Tidy, no pool left, no driver object left. */
  private void assertClean() {
    assertThat(lab.bugChecks).as("bug checks").isEmpty();
    assertThat(lab.findings("Tidy.jar")).as("verifier findings").isEmpty();
    assertThat(lab.livePool("Tidy.jar")).as("pool").isEmpty();
    assertThat(lab.driverExists("Tidy")).isFalse();
  }

  /** Tidy's calls the systematic simulation failed during its newest load. */
  private long injectedByTheNewestLoad() {
    return lab.kernel.io().verifier().query("Tidy.jar").orElseThrow()
        .systematicFaultsInjected();
  }
}
