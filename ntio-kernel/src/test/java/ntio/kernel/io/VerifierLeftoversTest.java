package ntio.kernel.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import ntio.api.VerifierSettings;
import ntio.ddk.NtStatus;
import ntio.ddk.RegValue;
import ntio.kernel.executive.BugCheck;
import ntio.kernel.io.lingertests.LingerDriver;
import ntio.kernel.testing.DriverJars;
import ntio.kernel.verifier.Verifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Driver Verifier's unload scan beyond pool (DV8), through a real image that leaves timers,
 * threads, work items, trace providers and devices behind: each is caught at the unmap — after
 * DriverUnload or after a failed DriverEntry — and without the verifier the same mistake surfaces
 * later as NT's 0xCE (L12).
 */
@Timeout(60)
class VerifierLeftoversTest {

  @TempDir Path state;

  private IoLab lab;
  private CountDownLatch release;

  @BeforeEach
  void boot() {
    lab = IoLab.boot(state);
  }

  @AfterEach
  void shutDown() {
    if (release != null) {
      release.countDown();
    }
    lab.close();
  }

  private void verify(int flags) {
    lab.kernel.io().verifier().setVolatileSettings(VerifierSettings.parse("Linger.jar", flags));
  }

  /** Installs Linger.jar leaving {@code leave}, failing DriverEntry when {@code failEntry}. */
  private void install(boolean failEntry, String... leave) {
    DriverJars.driver(state.resolve("SystemRoot").resolve("System32").resolve("drivers"), "Linger.jar",
        LingerDriver.class);
    lab.installService("Linger", "Linger.jar");
    String parameters = IoLab.SERVICES + "Linger\\Parameters";
    lab.setValue(parameters, RegValue.multiString("Leave", List.of(leave)));
    lab.setValue(parameters, RegValue.dword("FailEntry", failEntry ? 1 : 0));
  }

  private void loadAndHoldTheRelease() {
    assertThat(lab.load("Linger")).isEqualTo(NtStatus.STATUS_SUCCESS);
    release = lab.device("\\Device\\Linger", device -> device.deviceExtension(CountDownLatch.class));
  }

  private BugCheck theBugCheck() {
    return lab.kernel.bugChecks().first().orElseThrow(() -> new AssertionError("no bug check"));
  }

  /**
   * Loads Linger.jar verified, leaving {@code leave}, and unloads it: the unload scan's bug check
   * 0xC7 naming the image, with {@code parameter1} and a non-zero object in P2.
   */
  private BugCheck unloadScanFinding(String leave, int parameter1) {
    verify(VerifierSettings.STANDARD_FLAGS);
    install(false, leave);
    loadAndHoldTheRelease();

    assertThat(lab.unload("Linger")).isEqualTo(NtStatus.STATUS_SYSTEM_SHUTDOWN);

    BugCheck found = theBugCheck();
    assertThat(found.code()).isEqualTo(BugCheck.TIMER_OR_DPC_INVALID);
    assertThat(found.parameter1()).isEqualTo(parameter1);
    assertThat(found.parameter2()).as("the object").isNotZero();
    assertThat(found.driver()).isEqualTo("Linger.jar");
    return found;
  }

  @Test
  void DV8_aTimerStillSetWhenTheImageIsUnmappedIsBugCheck0xC7WithParameter1Zero() {
    BugCheck found = unloadScanFinding("timer", Verifier.TIMER_AT_UNLOAD);

    assertThat(found.message()).contains("timer with DPC", LingerDriver.class.getName(), "still set");
  }

  @Test
  void DV8_aDpcStillQueuedWhenTheImageIsUnmappedIsBugCheck0xC7WithParameter1One() {
    BugCheck found = unloadScanFinding("dpc", Verifier.DPC_AT_UNLOAD);

    assertThat(found.message()).contains("DPC", LingerDriver.class.getName(), "still queued");
  }

  @Test
  void DV8_theScanRunsAtTheUnmapAfterAFailedDriverEntryToo() {
    verify(VerifierSettings.STANDARD_FLAGS);
    install(true, "timer");

    assertThat(lab.load("Linger")).as("the kernel halted at the unmap").isEqualTo(NtStatus.STATUS_SYSTEM_SHUTDOWN);

    assertThat(theBugCheck().code()).isEqualTo(BugCheck.TIMER_OR_DPC_INVALID);
  }

  @Test
  void DV8_aSystemThreadOfTheImageStillRunningAtTheUnmapIsBugCheck0xC7WithParameter1Two() {
    verify(VerifierSettings.STANDARD_FLAGS);
    install(false, "thread");
    loadAndHoldTheRelease();

    assertThat(lab.unload("Linger")).isEqualTo(NtStatus.STATUS_SYSTEM_SHUTDOWN);

    BugCheck found = theBugCheck();
    assertThat(found.code()).isEqualTo(BugCheck.TIMER_OR_DPC_INVALID);
    assertThat(found.parameter1()).isEqualTo(Verifier.ROUTINE_IN_UNLOADED_IMAGE);
    assertThat(found.message()).contains("System thread", "still queued or running");
  }

  @Test
  void DV8_anExWorkItemStillRunningAtTheUnmapIsBugCheck0xC7WithParameter1Two() {
    verify(VerifierSettings.STANDARD_FLAGS);
    install(false, "workitem");
    loadAndHoldTheRelease();

    assertThat(lab.unload("Linger")).isEqualTo(NtStatus.STATUS_SYSTEM_SHUTDOWN);

    BugCheck found = theBugCheck();
    assertThat(found.parameter1()).isEqualTo(Verifier.ROUTINE_IN_UNLOADED_IMAGE);
    assertThat(found.message()).contains("work item");
  }

  @Test
  void DV8_threadsAndWorkItemsThatEndedBeforeTheUnloadAreNotFindings() throws InterruptedException {
    verify(VerifierSettings.STANDARD_FLAGS);
    install(false, "thread", "workitem");
    loadAndHoldTheRelease();
    release.countDown();
    IoLab.await("the thread and the work item to end", () ->
        Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().contains("thread of Linger"))
            && lab.kernel.workQueues().statistics().stream().allMatch(q -> q.depth() == 0 && q.running() == 0));
    Thread.sleep(50);

    assertThat(lab.unload("Linger")).isEqualTo(NtStatus.STATUS_SUCCESS);
    lab.awaitUnloaded("Linger");

    assertThat(lab.kernel.bugChecks().first()).isEmpty();
  }

  @Test
  void DV8_aTraceProviderLeftRegisteredIsBugCheck0xC4_0xDDUnderMiscellaneousChecks() {
    verify(VerifierSettings.STANDARD_FLAGS);
    install(true, "trace");

    assertThat(lab.load("Linger")).isEqualTo(NtStatus.STATUS_SYSTEM_SHUTDOWN);

    BugCheck found = theBugCheck();
    assertThat(found.code()).isEqualTo(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION);
    assertThat(found.parameter1()).isEqualTo(Verifier.TRACE_PROVIDER_AT_UNLOAD);
    assertThat(found.message()).contains("trace provider", "still registered");
    assertThat(lab.kernel.io().traceEvents()).anySatisfy(event ->
        assertThat(event.message()).isEqualTo("registered, never unregistered"));
  }

  @Test
  void DV8_withoutMiscellaneousChecksATraceProviderLeftRegisteredIsNotScanned() {
    verify(VerifierSettings.POOL_TRACKING);
    install(true, "trace");

    assertThat(lab.load("Linger")).isEqualTo(NtStatus.STATUS_UNSUCCESSFUL);
    assertThat(lab.kernel.bugChecks().first()).isEmpty();
  }

  @Test
  void DV8_devicesALegacyDriversUnloadLeftBehindAreAFindingAndKeepTheImageMapped() {
    verify(VerifierSettings.STANDARD_FLAGS);
    install(false, "devices");
    loadAndHoldTheRelease();

    assertThat(lab.unload("Linger")).isEqualTo(NtStatus.STATUS_SUCCESS);

    assertThat(lab.kernel.io().verifier().findings()).singleElement().satisfies(finding -> {
      assertThat(finding.imageName()).isEqualTo("Linger.jar");
      assertThat(finding.check()).isEqualTo("DV8-DEVICES-LEFT");
      assertThat(finding.message()).contains("1 device object", "\\Device\\Linger");
    });
    assertThat(lab.driverExists("Linger")).as("the name goes at once; the device keeps the object").isFalse();
    assertThat(lab.deviceExists("\\Device\\Linger")).isTrue();
    assertThat(lab.kernel.io().loader().loadedImages()).as("still mapped")
        .anySatisfy(image -> assertThat(image.imageName()).isEqualTo("Linger.jar"));
    assertThat(lab.kernel.bugChecks().first()).isEmpty();
  }

  @Test
  void L12_withoutTheVerifierATimerThatExpiresAfterTheUnmapIsBugCheck0xCE() {
    install(false, "soon-timer");
    loadAndHoldTheRelease();

    assertThat(lab.unload("Linger")).as("nothing checks at the unmap").isEqualTo(NtStatus.STATUS_SUCCESS);
    // The halt reason, not the bug check alone: the crash report is written after the bug check is
    // recorded, and the test's state directory must not be deleted under it.
    IoLab.await("the timer to expire into the unloaded image", () -> lab.kernel.haltReason().isPresent());

    BugCheck found = theBugCheck();
    assertThat(found.code()).isEqualTo(BugCheck.DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS);
    assertThat(found.message()).contains("DPC", "after its image was unloaded");
  }

  @Test
  void L12_withoutTheVerifierADpcStillQueuedAtTheUnmapRunsIntoTheUnloadedImageAsBugCheck0xCE() {
    install(false, "dpc");
    loadAndHoldTheRelease();
    // The holder must be running (taken off processor 0's queue), or it too would run unmapped.
    IoLab.await("the holding DPC to run", () -> lab.kernel.io().processors().queueDepth(0) == 1);

    assertThat(lab.unload("Linger")).as("nothing checks at the unmap").isEqualTo(NtStatus.STATUS_SUCCESS);
    lab.awaitUnloaded("Linger");
    assertThat(lab.kernel.bugChecks().first()).as("before the processor gets to it").isEmpty();
    release.countDown();
    IoLab.await("the queued DPC to run into the unloaded image", () -> lab.kernel.haltReason().isPresent());

    BugCheck found = theBugCheck();
    assertThat(found.code()).isEqualTo(BugCheck.DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS);
    assertThat(found.message()).contains("DPC", "after its image was unloaded");
  }

  @Test
  void L12_withoutTheVerifierATimerLeftSetAtUnloadIsNotCheckedAtTheUnmap() {
    install(false, "timer", "trace");
    loadAndHoldTheRelease();

    assertThat(lab.unload("Linger")).isEqualTo(NtStatus.STATUS_SUCCESS);
    lab.awaitUnloaded("Linger");

    assertThat(lab.kernel.bugChecks().first()).isEmpty();
  }
}
