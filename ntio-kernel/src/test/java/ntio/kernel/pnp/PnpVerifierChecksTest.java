package ntio.kernel.pnp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.List;
import ntio.api.DevNodeInfo;
import ntio.api.DeviceInstall;
import ntio.api.PnpVetoResult;
import ntio.api.VerifierFinding;
import ntio.api.VerifierSettings;
import ntio.ddk.NtStatus;
import ntio.ddk.RegValue;
import ntio.kernel.executive.BugCheck;
import ntio.kernel.pnp.drivers.PnpMisbehavingDriver;
import org.junit.jupiter.api.Test;

/**
 * The verifier's PnP IRP checks, each through a real WDM image ({@link PnpMisbehavingDriver})
 * breaking one rule on the IRPs the PnP manager sends: a finding naming the image, the driver
 * object, the device and the minor function, in {@code NtApi.queryVerifierFindings} and in the
 * image's {@code verifier /query} figures; none for a driver the verifier does not watch, and
 * none for a driver that keeps the rules.
 */
class PnpVerifierChecksTest extends PnpLabTest {

  /** Installs {@code service} as a WDM image of the misbehaving driver, breaking {@code rule}. */
  private void misbehaving(String service, String rule) {
    lab.image(service, PnpMisbehavingDriver.class);
    lab.installer.setValue(PnpLab.SERVICES + service + "\\Parameters", RegValue.dword(rule, 1));
  }

  private void verify(String images) {
    lab.kernel.io().verifier().setVolatileSettings(
        VerifierSettings.parse(images, VerifierSettings.STANDARD_FLAGS));
  }

  private List<VerifierFinding> findings(String check) {
    lab.kernel.pnp().awaitIdle();
    return lab.admin.queryVerifierFindings().rows().stream()
        .filter(f -> f.check().equals(check)).toList();
  }

  @Test
  void PnpIrpCompletion_removeDeviceCompletedWithoutPassingItDownIsAFindingNamingTheDriver() {
    misbehaving("PnpBad", "KeepRemove");
    verify("PnpBad.jar");
    String path = lab.install("Root\\PnpBad", "PnpBad", List.of(), List.of());
    assertThat(lab.existing(path).state()).isEqualTo("DeviceNodeStarted");

    assertThat(lab.admin.removeDevice(path).status()).isEqualTo(NtStatus.STATUS_SUCCESS);

    List<VerifierFinding> found = findings("PnpIrpCompletion");
    assertThat(found).hasSize(1);
    assertThat(found.get(0).imageName()).isEqualTo("PnpBad.jar");
    assertThat(found.get(0).message()).contains("\\Driver\\PnpBad", "\\Device\\PnpBad1",
        "IRP_MN_REMOVE_DEVICE", "never saw it");
    assertThat(lab.kernel.io().verifier().query("PnpBad.jar").orElseThrow().findings())
        .extracting(VerifierFinding::check).contains("PnpIrpCompletion");
    assertThat(findings("T39-REMOVE-NOT-DETACHED")).as("it did detach and delete").isEmpty();
    assertThat(findings("T39-REMOVE-NOT-DELETED")).isEmpty();
  }

  @Test
  void PnpIrpCompletion_isNotCheckedForADriverTheVerifierDoesNotWatch() {
    misbehaving("PnpBad", "KeepRemove");
    verify("Other.jar");
    String path = lab.install("Root\\PnpBad", "PnpBad", List.of(), List.of());

    assertThat(lab.admin.removeDevice(path).status()).isEqualTo(NtStatus.STATUS_SUCCESS);

    assertThat(lab.admin.queryVerifierFindings().rows()).isEmpty();
  }

  @Test
  void PnpIrpCompletion_aFilterOverwritingTheStatusOfAnIrpItDoesNotHandleIsAFinding() {
    lab.driver("PnpFn");
    misbehaving("PnpBadUp", "OverwriteRelations");
    verify("PnpBadUp.jar");

    String path = lab.install("Root\\PnpBad", "PnpFn", List.of(), List.of("PnpBadUp"));

    assertThat(lab.existing(path).state()).isEqualTo("DeviceNodeStarted");
    List<VerifierFinding> found = findings("PnpIrpCompletion");
    assertThat(found).isNotEmpty();
    assertThat(found.get(0).imageName()).isEqualTo("PnpBadUp.jar");
    assertThat(found.get(0).message()).contains("\\Driver\\PnpBadUp", "\\Device\\PnpBadUp1",
        "IRP_MN_QUERY_DEVICE_RELATIONS", "STATUS_UNSUCCESSFUL", "STATUS_NOT_SUPPORTED");
  }

  @Test
  void T39_anFdoStillAttachedAndNotDeletedAfterRemoveDeviceIsTwoFindings() {
    misbehaving("PnpBad", "NoDetach");
    verify("PnpBad.jar");
    String path = lab.install("Root\\PnpBad", "PnpBad", List.of(), List.of());

    assertThat(lab.admin.disableDevice(path).status()).isEqualTo(NtStatus.STATUS_SUCCESS);

    assertThat(findings("T39-REMOVE-NOT-DETACHED")).singleElement().satisfies(f -> {
      assertThat(f.imageName()).isEqualTo("PnpBad.jar");
      assertThat(f.message()).contains("\\Driver\\PnpBad", "\\Device\\PnpBad1", "IRP_MN_REMOVE_DEVICE");
    });
    assertThat(findings("T39-REMOVE-NOT-DELETED")).singleElement()
        .satisfies(f -> assertThat(f.message()).contains("\\Device\\PnpBad1"));
    assertThat(findings("PnpIrpCompletion")).as("it passed REMOVE_DEVICE down").isEmpty();
    assertThat(lab.driverLoaded("PnpBad")).as("a driver with a device left stays loaded").isTrue();
  }

  @Test
  void T39_anFdoDetachedButNotDeletedAfterRemoveDeviceIsAFinding() {
    misbehaving("PnpBad", "NoDelete");
    verify("PnpBad.jar");
    String path = lab.install("Root\\PnpBad", "PnpBad", List.of(), List.of());

    assertThat(lab.admin.disableDevice(path).status()).isEqualTo(NtStatus.STATUS_SUCCESS);

    assertThat(findings("T39-REMOVE-NOT-DELETED")).singleElement()
        .satisfies(f -> assertThat(f.message()).contains("\\Driver\\PnpBad", "\\Device\\PnpBad1"));
    assertThat(findings("T39-REMOVE-NOT-DETACHED")).isEmpty();
  }

  @Test
  void PnpRemove_failingCancelRemoveDeviceIsAFinding() {
    misbehaving("PnpBad", "FailCancelRemove");
    verify("PnpBad.jar");
    String path = lab.install("Root\\PnpBad", "PnpBad", List.of(), List.of());

    PnpVetoResult vetoed = lab.admin.removeDevice(path);

    assertThat(vetoed.vetoed()).isTrue();
    assertThat(findings("PnpRemove")).singleElement().satisfies(f -> {
      assertThat(f.imageName()).isEqualTo("PnpBad.jar");
      assertThat(f.message()).contains("\\Driver\\PnpBad", "\\Device\\PnpBad1",
          "IRP_MN_CANCEL_REMOVE_DEVICE", "STATUS_UNSUCCESSFUL", "0x00043006");
    });
    assertThat(findings("PnpIrpCompletion")).as("query-remove may be vetoed, and is excluded")
        .isEmpty();
  }

  @Test
  void aPnpIrpCompletedWithStatusPendingUnderIoVerificationIsBugCheck0xC9WithParameter6() {
    lab.driver("PnpFn");
    misbehaving("PnpBadUp", "PendingRelations");
    verify("PnpBadUp.jar");

    Throwable thrown = catchThrowable(() -> lab.admin.installDevice(
        new DeviceInstall("Root\\PnpBad", "PnpFn", "", List.of(), List.of("PnpBadUp"))));

    BugCheck found = lab.kernel.bugChecks().first().orElseThrow(
        () -> new AssertionError("no bug check; the install ended with " + thrown));
    assertThat(found.code()).isEqualTo(BugCheck.DRIVER_VERIFIER_IOMANAGER_VIOLATION);
    assertThat(found.parameter1()).isEqualTo(0x06);
    assertThat(found.driver()).isEqualTo("PnpBadUp");
  }

  @Test
  void aWellBehavedVerifiedStackGoesThroughBringUpVetoAndRemovalWithoutFindings() {
    lab.driver("PnpLow");
    lab.driver("PnpFn");
    lab.driver("PnpUp");
    verify("*");
    String path = lab.install("Root\\PnpGood", "PnpFn", List.of("PnpLow"), List.of("PnpUp"));
    DevNodeInfo node = lab.existing(path);
    assertThat(node.state()).isEqualTo("DeviceNodeStarted");

    assertThat(lab.admin.restartDevice(path).status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(lab.admin.disableDevice(path).status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(lab.admin.enableDevice(path)).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(lab.admin.removeDevice(path).status()).isEqualTo(NtStatus.STATUS_SUCCESS);

    lab.kernel.pnp().awaitIdle();
    assertThat(lab.admin.queryVerifierFindings().rows()).isEmpty();
  }
}
