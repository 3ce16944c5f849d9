package ntio.kernel.framework;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import ntio.api.VerifierFinding;
import ntio.api.VerifierSettings;
import ntio.ddk.NtStatus;
import ntio.kernel.executive.BugCheck;
import ntio.kernel.verifier.Verifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The framework's load and unload paths (L5–L9, T04, T05, T07, T08) through real driver images
 * loaded and unloaded with NtLoadDriver and NtUnloadDriver: the script driver records each
 * callback in the registry, Driver Verifier (pool tracking and Miscellaneous Checks) watches the
 * image, and the framework verifier is on.
 */
@Timeout(60)
class DriverLoadUnloadTest {

  @TempDir Path state;
  private FxLab lab;

  @BeforeEach
  void boot() {
    lab = new FxLab(state);
  }

  @AfterEach
  void shutDown() {
    lab.close();
  }

  /** Installs the script driver as {@code service}, verified by Driver Verifier and the framework verifier. */
  private void verified(String service, String... steps) {
    lab.driverVerifier(service + ".jar", VerifierSettings.STANDARD_FLAGS);
    lab.installScript(service, steps);
    lab.kmdfVerifier(service);
  }

  private void assertCleanlyGone(String service) {
    assertThat(lab.bugChecks).as("bug checks").isEmpty();
    assertThat(lab.findings(service + ".jar")).as("verifier findings").isEmpty();
    assertThat(lab.livePool(service + ".jar")).as("pool left by the image").isEmpty();
    assertThat(lab.driverExists(service)).isFalse();
  }

  @Test
  void T04_driverEntryFailingAfterWdfDriverCreateTearsTheTreeDownWithoutEvtDriverUnload() {
    verified("FxT04", "driverCreate", "memory", "fail");

    NtStatus loaded = lab.load("FxT04");

    assertThat(loaded).isEqualTo(NtStatus.STATUS_INSUFFICIENT_RESOURCES);
    assertThat(lab.observedEvents("FxT04")).containsExactly("cleanup(M)", "cleanup(D)", "destroy(M)", "destroy(D)");
    assertCleanlyGone("FxT04");
  }

  @Test
  void L6_aFailedDriverEntryReturnsItsOwnStatusAndNeverCallsEvtDriverUnload() {
    verified("FxL6", "driverCreate", "fail");

    assertThat(lab.load("FxL6")).isEqualTo(NtStatus.STATUS_INSUFFICIENT_RESOURCES);

    assertThat(lab.observedEvents("FxL6")).containsExactly("cleanup(D)", "destroy(D)").doesNotContain("EvtDriverUnload");
    assertCleanlyGone("FxL6");
  }

  @Test
  void T05_normalUnloadRunsEvtDriverUnloadThenCleanupsThenDestroysThenTearsDown() {
    verified("FxT05", "driverCreate", "memory");
    assertThat(lab.load("FxT05")).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(lab.observedEvents("FxT05")).isEmpty();
    assertThat(lab.livePool("FxT05.jar")).as("globals, WDFDRIVER, M").hasSize(3);

    assertThat(lab.unload("FxT05")).isEqualTo(NtStatus.STATUS_SUCCESS);

    assertThat(lab.observedEvents("FxT05")).containsExactly("EvtDriverUnload", "cleanup(M)", "cleanup(D)",
        "destroy(M)", "destroy(D)");
    // The teardown: the framework globals went after the destroys, and nothing is left.
    assertCleanlyGone("FxT05");
  }

  @Test
  void L7_aLeakedFrameworkAllocationIsReportedAtTeardownAndLeftForDriverVerifier() {
    verified("FxL7", "driverCreate", "memory", "holdMemory");
    assertThat(lab.load("FxL7")).isEqualTo(NtStatus.STATUS_SUCCESS);

    NtStatus unloaded = lab.unload("FxL7");

    assertThat(lab.observedEvents("FxL7")).containsExactly("EvtDriverUnload", "cleanup(M)", "cleanup(D)",
        "destroy(D)");
    List<VerifierFinding> findings = lab.findings("FxL7.jar");
    assertThat(findings).extracting(VerifierFinding::check).containsExactly("V-KMDF-09");
    // The memory was not freed: Driver Verifier's pool tracking finds it at the unmap.
    assertThat(unloaded).isEqualTo(NtStatus.STATUS_SYSTEM_SHUTDOWN);
    BugCheck bugCheck = lab.onlyBugCheck();
    assertThat(bugCheck.code()).isEqualTo(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION);
    assertThat(bugCheck.parameter1()).isEqualTo(Verifier.POOL_LEAK_AT_UNLOAD);
    assertThat(bugCheck.message()).contains("32 bytes");
  }

  @Test
  void L5_aNonPnpDriverWithoutEvtDriverUnloadHasNoUnloadRoutineAndStaysLoaded() {
    lab.installScript("FxL5", "driverCreateNoUnload");
    assertThat(lab.load("FxL5")).isEqualTo(NtStatus.STATUS_SUCCESS);

    assertThat(lab.unload("FxL5").isSuccess()).isFalse();

    assertThat(lab.driverExists("FxL5")).isTrue();
    assertThat(lab.observedEvents("FxL5")).isEmpty();
  }

  @Test
  void T07_aFailedWdfDriverCreateRunsNoCallbackAndItsStatusIsDriverEntrys() {
    verified("FxT07", "driverCreateBadSize");

    assertThat(lab.load("FxT07")).isEqualTo(NtStatus.STATUS_INFO_LENGTH_MISMATCH);

    assertThat(lab.observedNote("FxT07", "DriverCreate")).isEqualTo("STATUS_INFO_LENGTH_MISMATCH");
    assertThat(lab.observedEvents("FxT07")).isEmpty();
    assertCleanlyGone("FxT07");
  }

  @Test
  void T07_wppStartedBeforeAFailedWdfDriverCreateAndNeverCleanedIsCaughtAtTheUnmap() {
    verified("FxT07w", "wppInit", "driverCreateBadSize");

    assertThat(lab.load("FxT07w")).isEqualTo(NtStatus.STATUS_SYSTEM_SHUTDOWN);

    BugCheck bugCheck = lab.onlyBugCheck();
    assertThat(bugCheck.code()).isEqualTo(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION);
    assertThat(bugCheck.parameter1()).isEqualTo(Verifier.TRACE_PROVIDER_AT_UNLOAD);
  }

  @Test
  void T08_wppCleanupInTheDriverCleanupRunsExactlyOnceWhenDriverEntryFails() {
    verified("FxT08", "wppCleanupInDriverCleanup", "driverCreate", "wppInit", "memory", "fail");

    assertThat(lab.load("FxT08")).isEqualTo(NtStatus.STATUS_INSUFFICIENT_RESOURCES);

    assertThat(lab.observedEvents("FxT08")).containsExactly("cleanup(M)", "cleanup(D)", "wppCleanup",
        "destroy(M)", "destroy(D)");
    assertCleanlyGone("FxT08");
  }

  @Test
  void T08_wppCleanupInTheDriverCleanupRunsExactlyOnceAtUnload() {
    verified("FxT08u", "wppCleanupInDriverCleanup", "driverCreate", "wppInit", "memory");
    assertThat(lab.load("FxT08u")).isEqualTo(NtStatus.STATUS_SUCCESS);

    assertThat(lab.unload("FxT08u")).isEqualTo(NtStatus.STATUS_SUCCESS);

    assertThat(lab.observedEvents("FxT08u")).containsOnlyOnce("wppCleanup");
    assertCleanlyGone("FxT08u");
  }

  @Test
  void T08A_cleaningUpWppAlsoOnTheFailurePathIsReportedAsCleanupCalledTwice() {
    verified("FxT08a", "wppCleanupInDriverCleanup", "driverCreate", "wppInit", "wppCleanupInEntry", "fail");

    assertThat(lab.load("FxT08a")).isEqualTo(NtStatus.STATUS_INSUFFICIENT_RESOURCES);

    List<VerifierFinding> findings = lab.findings("FxT08a.jar");
    assertThat(findings).extracting(VerifierFinding::check).containsExactly("V-WPP-01");
    assertThat(findings.get(0).message()).contains("WPP cleanup called twice");
    assertThat(lab.bugChecks).isEmpty();
  }

  @Test
  void T08B_wppCleanupOnlyInEvtDriverUnloadNeverRunsWhenDriverEntryFailsAndTheProviderLeaks() {
    verified("FxT08b", "wppCleanupInUnload", "driverCreate", "wppInit", "fail");

    assertThat(lab.load("FxT08b")).isEqualTo(NtStatus.STATUS_SYSTEM_SHUTDOWN);

    assertThat(lab.observedEvents("FxT08b")).containsExactly("cleanup(D)", "destroy(D)");
    BugCheck bugCheck = lab.onlyBugCheck();
    assertThat(bugCheck.code()).isEqualTo(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION);
    assertThat(bugCheck.parameter1()).isEqualTo(Verifier.TRACE_PROVIDER_AT_UNLOAD);
  }

  @Test
  void T08C_wppCleanupInEvtDriverUnloadComesBeforeAChildsCleanupThatTraces() {
    verified("FxT08c", "wppCleanupInUnload", "driverCreate", "wppInit", "memoryTracesInCleanup", "memory");
    assertThat(lab.load("FxT08c")).isEqualTo(NtStatus.STATUS_SUCCESS);

    assertThat(lab.unload("FxT08c")).isEqualTo(NtStatus.STATUS_SUCCESS);

    assertThat(lab.observedEvents("FxT08c")).startsWith("EvtDriverUnload", "wppCleanup", "cleanup(M)");
    List<VerifierFinding> findings = lab.findings("FxT08c.jar");
    assertThat(findings).extracting(VerifierFinding::check).containsExactly("V-WPP-02");
    assertThat(findings.get(0).message()).contains("trace after WPP cleanup");
  }
}
