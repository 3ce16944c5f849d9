package ntio.kernel.pnp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import ntio.api.DevNodeInfo;
import ntio.api.DeviceStackLayer;
import ntio.api.VerifierSettings;
import ntio.ddk.NtStatus;
import ntio.ddk.RegValue;
import ntio.kernel.executive.PoolAllocation;
import ntio.kernel.pnp.drivers.PnpFaultDriver;
import ntio.kernel.verifier.Verifier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fault injection over AddDevice and start with the verifier on (pool tracking and I/O
 * verification): a first bring-up counts the fallible calls of a careful WDM driver ({@link
 * PnpFaultDriver}) on the way to Started; then each of them is failed in turn, the 1st, the 2nd, …
 * the nth, and every failed bring-up must leave the devnode with the right problem code and nothing
 * half-built: no device of the driver, the driver unloaded and its image unmapped (the verifier's
 * unload scan bug-checks a pool block left behind), none of its pool blocks, no handle more than
 * before, no volatile Control key, no verifier finding; and a clean bring-up afterwards starts.
 * WDM only: the framework's PnP half is another branch.
 */
class PnpFaultInjectionSweepTest extends PnpLabTest {

  private static final String SERVICE = "PnpFault";
  private static final String IMAGE = SERVICE + ".jar";

  @BeforeEach
  void installTheDriverVerified() {
    lab.image(SERVICE, PnpFaultDriver.class);
    lab.installer.setValue(PnpLab.SERVICES + SERVICE + "\\Parameters", RegValue.dword("Present", 1));
    lab.kernel.io().verifier().setVolatileSettings(
        VerifierSettings.parse(IMAGE, VerifierSettings.STANDARD_FLAGS));
  }

  private Verifier verifier() {
    return lab.kernel.io().verifier();
  }

  @Test
  void B41_failingEachFallibleCallOfAddDeviceAndStartInTurnLeavesTheRightProblemAndNothingHalfBuilt() {
    long handlesBefore = handles();
    verifier().armFaultSweep(IMAGE, 0);
    String path = lab.install("Root\\PnpFault", SERVICE, List.of(), List.of());
    assertThat(lab.existing(path).state()).isEqualTo("DeviceNodeStarted");
    int calls = verifier().disarmFaultSweep(IMAGE);
    assertThat(calls).as("DriverEntry's block, AddDevice's block, IoCreateDevice,"
        + " IoAttachDeviceToDeviceStack, START's block").isEqualTo(5);
    assertThat(lab.admin.disableDevice(path).status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    awaitGone();

    List<String> problems = new ArrayList<>();
    for (int failAt = 1; failAt <= calls; failAt++) {
      verifier().armFaultSweep(IMAGE, failAt);
      assertThat(lab.admin.enableDevice(path)).isEqualTo(NtStatus.STATUS_SUCCESS);
      DevNodeInfo node = lab.existing(path);
      assertThat(verifier().disarmFaultSweep(IMAGE)).as("calls made when the %dth failed", failAt)
          .isEqualTo(failAt);
      problems.add(node.problemName());
      assertThat(node.state()).as("injection %d", failAt).isNotEqualTo("DeviceNodeStarted");
      assertThat(node.stack()).as("injection %d: only the PDO is left", failAt)
          .extracting(DeviceStackLayer::role).containsExactly("PDO");
      awaitGone();
      assertThat(handles()).as("injection %d: no handle left", failAt).isEqualTo(handlesBefore);
      assertThat(lab.keyExists(
          "\\Registry\\Machine\\System\\CurrentControlSet\\Enum\\" + path + "\\Control"))
          .as("injection %d: no volatile Control key", failAt).isFalse();
    }
    assertThat(problems).containsExactly("CM_PROB_FAILED_DRIVER_ENTRY", "CM_PROB_FAILED_ADD",
        "CM_PROB_FAILED_ADD", "CM_PROB_FAILED_ADD", "CM_PROB_FAILED_START");
    assertThat(verifier().query(IMAGE).orElseThrow().faultsInjected()).isEqualTo(1);

    assertThat(lab.admin.enableDevice(path)).isEqualTo(NtStatus.STATUS_SUCCESS);
    DevNodeInfo clean = lab.existing(path);
    assertThat(clean.state()).isEqualTo("DeviceNodeStarted");
    assertThat(clean.problem()).isZero();
    assertThat(clean.stack()).extracting(DeviceStackLayer::role).containsExactly("FDO", "PDO");
    assertThat(lab.admin.removeDevice(path).status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    awaitGone();
    assertThat(handles()).isEqualTo(handlesBefore);
    assertThat(lab.admin.queryVerifierFindings().rows()).as("the driver kept every PnP rule").isEmpty();
    assertThat(lab.kernel.bugChecks().first()).isEmpty();
  }

  /** The driver unloaded, its image unmapped, and none of its devices or pool blocks left. */
  private void awaitGone() {
    lab.kernel.pnp().awaitIdle();
    PnpLab.await("the driver unloaded", () -> !lab.driverLoaded(SERVICE));
    PnpLab.await("its image unmapped", () -> !lab.imageMapped(SERVICE));
    assertThat(lab.kernel.io().driver("\\Driver\\" + SERVICE)).isEmpty();
    Set<Integer> tags = Set.of(PnpFaultDriver.ENTRY_TAG, PnpFaultDriver.CONTEXT_TAG, PnpFaultDriver.START_TAG);
    assertThat(lab.kernel.pool().liveAllocations()).extracting(PoolAllocation::tag)
        .doesNotContainAnyElementsOf(tags);
    assertThat(lab.kernel.objects().referenceByName("\\Device\\PnpFault1",
        lab.kernel.io().deviceType()).isSuccess()).isFalse();
    assertThat(lab.kernel.bugChecks().first()).isEmpty();
  }

  private long handles() {
    lab.kernel.pnp().awaitIdle();
    return lab.kernel.objects().kernelHandleTable().count()
        + lab.kernel.systemThread().handleTable().count();
  }
}
