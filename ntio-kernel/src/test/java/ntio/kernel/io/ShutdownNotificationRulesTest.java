package ntio.kernel.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import ntio.api.VerifierFinding;
import ntio.api.VerifierSettings;
import ntio.ddk.DeviceFlags;
import ntio.ddk.NtStatus;
import ntio.kernel.Kernel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rule L13 of the framework-and-verifier spec, through the lab driver: IoRegisterShutdownNotification
 * sets DO_SHUTDOWN_REGISTERED; IoDeleteDevice withdraws a registration the driver left, which the
 * verifier reports as a warning ({@code L13-SHUTDOWN-REGISTERED}); a shutdown IRP still sent to a
 * driver whose DriverUnload was invoked is an error ({@code L13-SHUTDOWN-AFTER-UNLOAD}). Without the
 * verifier neither is a finding. A registration a failed DriverEntry left (L2) is dropped, and an
 * error finding under the verifier ({@code L2-SHUTDOWN-AT-FAILED-ENTRY}).
 */
@Timeout(60)
class ShutdownNotificationRulesTest {

  @TempDir Path state;

  private static void verify(IoLab lab, String images) {
    lab.kernel.io().verifier().setVolatileSettings(VerifierSettings.parse(images, VerifierSettings.STANDARD_FLAGS));
  }

  private static List<VerifierFinding> l13Findings(Kernel kernel) {
    return kernel.io().verifier().findings().stream().filter(f -> f.check().startsWith("L13")).toList();
  }

  /**
   * Loads {@code service}: DriverEntry creates {@code d} (and {@code e}) and registers both for
   * shutdown; then, through an open handle, {@code e} unregisters itself and both are deleted.
   */
  private static void registerAndDelete(IoLab lab, String service) {
    lab.lab(service).entry("create d \\Device\\" + service, "create e \\Device\\" + service + "E",
        "shutdown d", "shutdown e").load();
    assertThat((int) lab.device("\\Device\\" + service, d -> d.flags() & DeviceFlags.DO_SHUTDOWN_REGISTERED))
        .as("IoRegisterShutdownNotification sets DO_SHUTDOWN_REGISTERED")
        .isEqualTo(DeviceFlags.DO_SHUTDOWN_REGISTERED);
    assertThat(lab.kernel.io().shutdown.registrations()).hasSize(2);
    IoLab.Open open = lab.open("\\Device\\" + service, service);
    open.run("unshutdown e", "state e E", "delete e", "delete d");
    open.close();
    assertThat(lab.observed(service).dword("E.Flags") & DeviceFlags.DO_SHUTDOWN_REGISTERED)
        .as("IoUnregisterShutdownNotification clears it").isZero();
    assertThat(lab.kernel.io().shutdown.registrations()).as("IoDeleteDevice withdrew d's").isEmpty();
  }

  @Test
  void L13_aDeviceDeletedWhileRegisteredForShutdownIsAWarningFinding() {
    try (IoLab lab = IoLab.boot(state)) {
      verify(lab, "L13Warn.jar");

      registerAndDelete(lab, "L13Warn");

      assertThat(l13Findings(lab.kernel)).as("only d, which was still registered").singleElement()
          .satisfies(finding -> {
            assertThat(finding.imageName()).isEqualTo("L13Warn.jar");
            assertThat(finding.check()).isEqualTo(ShutdownNotifications.SHUTDOWN_REGISTERED_AT_DELETE)
                .isEqualTo("L13-SHUTDOWN-REGISTERED");
            assertThat(finding.message()).startsWith("warning").contains("\\Device\\L13Warn",
                "IoUnregisterShutdownNotification");
          });
      assertThat(lab.kernel.bugChecks().first()).as("a warning does not stop the machine").isEmpty();
      assertThat(lab.unload("L13Warn")).isEqualTo(NtStatus.STATUS_SUCCESS);
    }
  }

  @Test
  void L13_aShutdownIrpSentToADriverWhoseUnloadWasInvokedIsAnErrorFindingAndIsStillSent() {
    IoLab lab = IoLab.boot(state);
    Kernel kernel = lab.kernel;
    try {
      verify(lab, "L13Late.jar");
      // DriverUnload forgets both the unregistration and the delete.
      lab.lab("L13Late").entry("create d \\Device\\L13Late", "shutdown d").unloadScript("driver U").load();
      assertThat(lab.unload("L13Late")).isEqualTo(NtStatus.STATUS_SUCCESS);
      assertThat(lab.observed("L13Late").count("Unload.Count")).isEqualTo(1);
      assertThat(l13Findings(kernel)).as("nothing yet: the device was not deleted").isEmpty();
    } finally {
      lab.close();
    }

    assertThat(l13Findings(kernel)).singleElement().satisfies(finding -> {
      assertThat(finding.imageName()).isEqualTo("L13Late.jar");
      assertThat(finding.check()).isEqualTo(ShutdownNotifications.SHUTDOWN_AFTER_UNLOAD).isEqualTo("L13-SHUTDOWN-AFTER-UNLOAD");
      assertThat(finding.message()).startsWith("error").contains("IRP_MJ_SHUTDOWN", "\\Device\\L13Late",
          "DriverUnload");
    });
    assertThat(kernel.bugChecks().first()).isEmpty();
    try (IoLab again = IoLab.boot(state)) {
      assertThat(again.observed("L13Late").count("d.IRP_MJ_SHUTDOWN"))
          .as("sent anyway, as NT does: the device keeps the image mapped").isEqualTo(1);
    }
  }

  @Test
  void L13_withoutTheVerifierNeitherIsAFindingAndTheRegistrationsBehaveTheSame() {
    IoLab lab = IoLab.boot(state);
    Kernel kernel = lab.kernel;
    try {
      registerAndDelete(lab, "L13Quiet");
      lab.lab("L13Late").entry("create d \\Device\\L13Late", "shutdown d").unloadScript("driver U").load();
      assertThat(lab.unload("L13Late")).isEqualTo(NtStatus.STATUS_SUCCESS);
    } finally {
      lab.close();
    }

    assertThat(kernel.io().verifier().findings()).isEmpty();
    assertThat(kernel.bugChecks().first()).isEmpty();
    try (IoLab again = IoLab.boot(state)) {
      assertThat(again.observed("L13Late").count("d.IRP_MJ_SHUTDOWN")).isEqualTo(1);
      assertThat(again.observed("L13Quiet").count("d.IRP_MJ_SHUTDOWN")).as("withdrawn at the delete").isZero();
    }
  }
  /**
   * A DriverEntry that registers a device for shutdown notification and then fails, leaving both
   * behind (L2 says it must undo them): the registration is dropped when DriverEntry returns, and
   * no IRP_MJ_SHUTDOWN reaches the driver, which never loaded. Under the verifier that is an error
   * finding; the device itself stays, the L1 leak.
   */
  @Test
  void L2_aShutdownRegistrationLeftByAFailedDriverEntryIsDroppedReportedAndNeverSent() {
    IoLab lab = IoLab.boot(state);
    Kernel kernel = lab.kernel;
    try {
      verify(lab, "L2Fail.jar");
      lab.lab("L2Fail").entry("create d \\Device\\L2Fail", "shutdown d")
          .entryStatus(NtStatus.STATUS_NOT_IMPLEMENTED).install();

      assertThat(lab.load("L2Fail")).isEqualTo(NtStatus.STATUS_NOT_IMPLEMENTED);

      assertThat(lab.observed("L2Fail").dword("d.Shutdown")).as("IoRegisterShutdownNotification succeeded").isZero();
      assertThat(lab.kernel.io().shutdown.registrations()).as("dropped when DriverEntry failed").isEmpty();
      assertThat((int) lab.device("\\Device\\L2Fail", d -> d.flags() & DeviceFlags.DO_SHUTDOWN_REGISTERED)).isZero();
      assertThat(lab.deviceExists("\\Device\\L2Fail")).as("the device DriverEntry left is not deleted").isTrue();
      assertThat(kernel.io().verifier().findings()).filteredOn(f -> f.check().startsWith("L2")).singleElement()
          .satisfies(finding -> {
            assertThat(finding.imageName()).isEqualTo("L2Fail.jar");
            assertThat(finding.check()).isEqualTo(ShutdownNotifications.SHUTDOWN_AT_FAILED_ENTRY)
                .isEqualTo("L2-SHUTDOWN-AT-FAILED-ENTRY");
            assertThat(finding.message()).startsWith("error").contains("\\Device\\L2Fail",
                "STATUS_NOT_IMPLEMENTED", "dropped", "IoUnregisterShutdownNotification");
          });
    } finally {
      lab.close();
    }

    assertThat(kernel.bugChecks().first()).isEmpty();
    try (IoLab again = IoLab.boot(state)) {
      assertThat(again.observed("L2Fail").count("d.IRP_MJ_SHUTDOWN"))
          .as("never sent to a driver whose DriverEntry failed").isZero();
    }
  }

  @Test
  void L2_withoutTheVerifierTheRegistrationOfAFailedDriverEntryIsDroppedTooWithoutAFinding() {
    IoLab lab = IoLab.boot(state);
    Kernel kernel = lab.kernel;
    try {
      lab.lab("L2Quiet").entry("create d \\Device\\L2Quiet", "shutdown d")
          .entryStatus(NtStatus.STATUS_NOT_IMPLEMENTED).install();

      assertThat(lab.load("L2Quiet")).isEqualTo(NtStatus.STATUS_NOT_IMPLEMENTED);

      assertThat(lab.kernel.io().shutdown.registrations()).isEmpty();
    } finally {
      lab.close();
    }

    assertThat(kernel.io().verifier().findings()).isEmpty();
    try (IoLab again = IoLab.boot(state)) {
      assertThat(again.observed("L2Quiet").count("d.IRP_MJ_SHUTDOWN")).isZero();
    }
  }
}
