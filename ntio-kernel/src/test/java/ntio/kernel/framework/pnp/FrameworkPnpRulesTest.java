package ntio.kernel.framework.pnp;

import static ntio.kernel.framework.pnp.FxPnpLab.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import ntio.api.DevNodeInfo;
import ntio.api.IoResult;
import ntio.api.OpenResult;
import ntio.api.PnpVetoResult;
import ntio.api.VerifierFinding;
import ntio.ddk.NtStatus;
import ntio.kernel.io.IoRequest;
import ntio.kernel.framework.pnp.probe.PnpProbeDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The framework's PnP rules (framework spec O20, L4), each proved on {@link PnpProbeDriver} — a
 * real framework driver image loaded by the real loader — on a root device the kernel's PnP
 * manager installs, starts and removes. The probe traces every callback it gets; the tests read
 * the order back.
 */
@Timeout(120)
class FrameworkPnpRulesTest {

  private static final String PROBE = "Probe";
  private static final String HARDWARE_ID = "Root\\Probe";

  @TempDir Path state;
  private FxPnpLab pnp;

  @BeforeEach
  void boot() {
    pnp = new FxPnpLab(state);
  }

  @AfterEach
  void shutDown() {
    pnp.close();
  }

  private List<String> traces() {
    return pnp.traces(PROBE);
  }

  /** The traces from the first {@code from} on. */
  private List<String> tracesFrom(String from) {
    List<String> all = traces();
    assertThat(all).contains(from);
    return all.subList(all.indexOf(from), all.size());
  }

  private void assertBefore(List<String> events, String first, String then) {
    assertThat(events).contains(first, then);
    assertThat(events.indexOf(first)).as("%s before %s in %s", first, then, events).isLessThan(events.indexOf(then));
  }

  private void assertNothingLeft() {
    assertThat(pnp.lab.bugChecks).as("bug checks").isEmpty();
    assertThat(pnp.lab.findings(PROBE + ".jar")).as("verifier findings").isEmpty();
    assertThat(pnp.lab.livePool(PROBE + ".jar")).as("pool").isEmpty();
  }

  @Test
  void O20_startPassesDownThenCallsPrepareHardwareThenD0EntryAndTheQueueStartsPresenting() {
    pnp.installProbe(PROBE);
    String device = pnp.installDevice(HARDWARE_ID, PROBE);

    assertThat(pnp.node(device).state()).isEqualTo("DeviceNodeStarted");
    assertThat(traces()).containsExactly("EvtDriverDeviceAdd", "EvtDevicePrepareHardware",
        "EvtDeviceD0Entry(D3_FINAL)");
    OpenResult opened = pnp.open(PROBE + "0");
    assertThat(opened.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    IoResult read = pnp.lab.nt.ntReadFile(pnp.lab.admin, opened.handle(), 8, 0);
    pnp.lab.nt.ntClose(pnp.lab.admin, opened.handle());
    assertThat(read.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(traces()).endsWith("EvtIoRead");
  }

  @Test
  void O20_removalPowersDownThenCleansUpAndDestroysTheDeviceSubtreeChildrenFirstBeforeEvtDriverUnload() {
    pnp.installProbe(PROBE);
    String device = pnp.installDevice(HARDWARE_ID, PROBE);

    PnpVetoResult removed = pnp.devcon.removeDevice(device);
    eventually("the probe to unload", () -> !pnp.lab.driverExists(PROBE));

    assertThat(removed.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    List<String> events = tracesFrom("EvtDeviceD0Exit(D3_FINAL)");
    assertThat(events).startsWith("EvtDeviceD0Exit(D3_FINAL)", "EvtDeviceReleaseHardware",
        "EvtDeviceSelfManagedIoCleanup");
    assertThat(events).endsWith("EvtDriverUnload", "cleanup(driver)");
    // The device's children are cleaned up before it, and all are destroyed before EvtDriverUnload.
    assertBefore(events, "cleanup(queue)", "cleanup(device)");
    assertBefore(events, "cleanup(memory)", "cleanup(device)");
    assertBefore(events, "EvtDeviceSelfManagedIoCleanup", "cleanup(queue)");
    for (String destroyed : List.of("destroy(queue)", "destroy(memory)", "destroy(device)")) {
      assertBefore(events, "cleanup(device)", destroyed);
      assertBefore(events, destroyed, "EvtDriverUnload");
    }
    assertThat(pnp.open(PROBE + "0").status()).isEqualTo(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND);
    assertNothingLeft();
  }

  @Test
  void O20_removalCompletesTheRequestsWaitingInTheQueueWithStatusCancelled() {
    pnp.installProbe(PROBE, "ManualQueue");
    pnp.installDevice(HARDWARE_ID, PROBE);
    OpenResult opened = pnp.open(PROBE + "0");
    assertThat(opened.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    IoRequest waiting = pnp.lab.nt.ntReadFileAsync(pnp.lab.admin, opened.handle(), 8, 0, null);
    assertThat(waiting.returnedStatus()).isEqualTo(NtStatus.STATUS_PENDING);

    // What the host does at shutdown: every device removed, no query, open or not (spec §1.B).
    pnp.lab.kernel.pnp().removeAllDevices();

    // The purge completed the IRP; the I/O manager finishes the caller's side on its own thread.
    eventually("the waiting read to complete", waiting::isComplete);
    assertThat(waiting.status()).isEqualTo(NtStatus.STATUS_CANCELLED);
    List<String> events = tracesFrom("EvtDeviceD0Exit(D3_FINAL)");
    assertBefore(events, "EvtDeviceReleaseHardware", "cleanup(queue)");
    pnp.lab.nt.ntClose(pnp.lab.admin, opened.handle());
    eventually("the probe to unload once its device is closed", () -> !pnp.lab.driverExists(PROBE));
    assertThat(traces()).endsWith("EvtDriverUnload", "cleanup(driver)");
    assertNothingLeft();
  }

  @Test
  void O20_evtDriverDeviceAddFailingAfterCreatingADeviceAndAQueueLeavesNothingAndTheDriverStaysLoaded() {
    pnp.installProbe(PROBE);
    String first = pnp.installDevice(HARDWARE_ID, PROBE);
    pnp.setFlag(PROBE, "FailAddAfterQueue");

    String second = pnp.installDevice(HARDWARE_ID, PROBE);

    DevNodeInfo failed = pnp.node(second);
    assertThat(failed.problemName()).isEqualTo("CM_PROB_FAILED_ADD");
    assertThat(failed.problemStatus()).isEqualTo(PnpProbeDriver.ADD_FAILURE);
    assertThat(failed.stack()).as("only the PDO is left").hasSize(1);
    List<String> events = tracesFrom("EvtDriverDeviceAdd fails");
    assertBefore(events, "cleanup(queue)", "cleanup(device)");
    assertBefore(events, "cleanup(memory)", "cleanup(device)");
    assertThat(events).contains("destroy(queue)", "destroy(memory)", "destroy(device)");
    assertThat(events).doesNotContain("EvtDevicePrepareHardware", "EvtDriverUnload");
    assertThat(pnp.open(PROBE + "1").status()).isEqualTo(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND);

    // The driver stays loaded and its first device still works.
    assertThat(pnp.lab.driverExists(PROBE)).isTrue();
    OpenResult opened = pnp.open(PROBE + "0");
    assertThat(opened.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(pnp.lab.nt.ntReadFile(pnp.lab.admin, opened.handle(), 8, 0).status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    pnp.lab.nt.ntClose(pnp.lab.admin, opened.handle());

    assertThat(pnp.devcon.removeDevice(first).status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    eventually("the probe to unload with its last device", () -> !pnp.lab.driverExists(PROBE));
    assertNothingLeft();
  }

  @Test
  void O20_aFailingPrepareHardwareFailsTheStartAndReleaseHardwareStillRuns() {
    pnp.installProbe(PROBE, "FailPrepareHardware");

    String device = pnp.installDevice(HARDWARE_ID, PROBE);

    DevNodeInfo node = pnp.node(device);
    assertThat(node.problemName()).isEqualTo("CM_PROB_FAILED_START");
    assertThat(node.problemStatus()).isEqualTo(PnpProbeDriver.START_FAILURE);
    eventually("the probe to unload with its only device", () -> !pnp.lab.driverExists(PROBE));
    List<String> events = traces();
    assertThat(events).startsWith("EvtDriverDeviceAdd", "EvtDevicePrepareHardware", "EvtDeviceReleaseHardware");
    assertThat(events).doesNotContain("EvtDeviceD0Entry(D3_FINAL)", "EvtDeviceD0Exit(D3_FINAL)",
        "EvtDeviceSelfManagedIoCleanup");
    assertBefore(events, "destroy(device)", "EvtDriverUnload");
    assertNothingLeft();
  }

  @Test
  void O20_aFailingD0EntryFailsTheStartWithoutD0ExitAndReleasesTheHardware() {
    pnp.installProbe(PROBE, "FailD0Entry");

    String device = pnp.installDevice(HARDWARE_ID, PROBE);

    assertThat(pnp.node(device).problemName()).isEqualTo("CM_PROB_FAILED_START");
    eventually("the probe to unload with its only device", () -> !pnp.lab.driverExists(PROBE));
    assertThat(traces()).startsWith("EvtDriverDeviceAdd", "EvtDevicePrepareHardware",
        "EvtDeviceD0Entry(D3_FINAL)", "EvtDeviceReleaseHardware");
    assertThat(traces()).doesNotContain("EvtDeviceD0Exit(D3_FINAL)");
    assertNothingLeft();
  }

  @Test
  void L4_aPnpDriverThatKeepsItsControlDeviceIsNeverUnloadedAndTheVerifierNamesTheControlDevice() {
    pnp.installProbe(PROBE, "ControlDevice");
    String device = pnp.installDevice(HARDWARE_ID, PROBE);

    assertThat(pnp.devcon.removeDevice(device).status()).isEqualTo(NtStatus.STATUS_SUCCESS);

    List<VerifierFinding> findings = pnp.lab.findings(PROBE + ".jar");
    assertThat(findings).hasSize(1);
    assertThat(findings.get(0).check()).isEqualTo("V-KMDF-CONTROLDEVICEDELETED");
    assertThat(findings.get(0).message()).contains("\\Device\\ProbeControl", "ControlDeviceDeleted");
    assertThat(traces()).contains("destroy(device)").doesNotContain("EvtDriverUnload");
    assertThat(pnp.lab.driverExists(PROBE)).isTrue();
  }

  @Test
  void O20_aFrameworkFilterPassesDownEveryRequestItHasNoQueueForAndGoesWithTheStack() {
    pnp.installProbe(PROBE, "Filter");
    pnp.installProbe("Lower"); // the function driver: the probe again, under another service
    String device = pnp.installDevice(new ntio.api.DeviceInstall("Root\\Probe", "Lower", "", List.of(),
        List.of(PROBE)));

    DevNodeInfo node = pnp.node(device);
    assertThat(node.state()).isEqualTo("DeviceNodeStarted");
    assertThat(node.stack()).extracting(ntio.api.DeviceStackLayer::service).startsWith(PROBE, "Lower");
    OpenResult opened = pnp.open("Lower0");
    assertThat(opened.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(pnp.lab.nt.ntReadFile(pnp.lab.admin, opened.handle(), 8, 0).status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    pnp.lab.nt.ntClose(pnp.lab.admin, opened.handle());
    assertThat(pnp.traces("Lower")).endsWith("EvtIoRead");

    assertThat(pnp.devcon.removeDevice(device).status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    eventually("both drivers to unload", () -> !pnp.lab.driverExists(PROBE) && !pnp.lab.driverExists("Lower"));
    assertThat(traces()).endsWith("EvtDriverUnload", "cleanup(driver)");
    assertNothingLeft();
  }
}
