package ntio.kernel.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import ntio.api.LuidAndAttributes;
import ntio.api.OpenResult;
import ntio.api.Privilege;
import ntio.ddk.AccessMask;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.UnicodeString;
import ntio.kernel.Kernel;
import ntio.kernel.KernelConfig;
import ntio.kernel.executive.BugCheck;
import ntio.kernel.io.halttests.HaltCatcherDriver;
import ntio.kernel.process.KThread;
import ntio.kernel.security.Sid;
import ntio.kernel.testing.DriverJars;
import ntio.kernel.testing.ServiceInstaller;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Once the kernel bug-checks, the halt is final: a driver that catches the bug check and carries
 * on ({@link HaltCatcherDriver}) gets nothing from the kernel — no device, no registry write — and
 * after a reboot on the same state directory the hive is as it was at the halt.
 */
@Timeout(60)
class HaltIsFinalTest {

  private static final String PLANTED = ServiceInstaller.SERVICES + HaltCatcherDriver.PLANTED;

  @TempDir Path state;

  @Test
  void aDriverThatCatchesTheBugCheckCreatesNothingAndWritesNothingThatSurvivesAReboot() {
    Kernel kernel = Kernel.boot(KernelConfig.of(state));
    try {
      KThread admin = administrator(kernel);
      ServiceInstaller installer = new ServiceInstaller(kernel, admin);
      DriverJars.image("Catcher.jar").entry(HaltCatcherDriver.class).writeTo(installer.drivers());
      installer.installService("Catcher", "Catcher.jar");

      kernel.services().ntLoadDriver(admin, UnicodeString.of(ServiceInstaller.SERVICES + "Catcher"));

      assertThat(kernel.bugChecks().first()).map(BugCheck::code).contains(HaltCatcherDriver.CODE);
      assertThat(kernel.isRunning()).isFalse();
      assertThat(kernel.objects().referenceByName("\\Device\\" + HaltCatcherDriver.PLANTED,
          kernel.io().deviceType()).status()).isEqualTo(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND);
      assertThat(kernel.services().ntOpenKey(admin, AccessMask.KEY_READ, ObjectAttributes.of(PLANTED))
          .status()).as("the system services refuse").isEqualTo(NtStatus.STATUS_SYSTEM_SHUTDOWN);
    } finally {
      kernel.shutdown();
    }

    Kernel rebooted = Kernel.boot(KernelConfig.of(state));
    try {
      KThread admin = administrator(rebooted);
      assertThat(rebooted.services().ntOpenKey(admin, AccessMask.KEY_READ, ObjectAttributes.of(PLANTED))
          .status()).as("the key created after the halt").isEqualTo(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND);
      OpenResult early = rebooted.services().ntOpenKey(admin, AccessMask.KEY_READ,
          ObjectAttributes.of(PLANTED + "Early"));
      assertThat(early.status()).as("the key created before the halt").isEqualTo(NtStatus.STATUS_SUCCESS);
      assertThat(rebooted.services().ntQueryValueKey(admin, early.handle(), UnicodeString.of("Start"))
          .status()).as("Start, written through it after the halt")
          .isEqualTo(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND);
    } finally {
      rebooted.shutdown();
    }
  }

  private static KThread administrator(Kernel kernel) {
    KThread admin = kernel.administratorSession("installer", Sid.unixUser(1000));
    assertThat(kernel.services().ntAdjustPrivilegesToken(admin,
        List.of(LuidAndAttributes.enable(Privilege.SE_LOAD_DRIVER_PRIVILEGE))).status())
        .isEqualTo(NtStatus.STATUS_SUCCESS);
    return admin;
  }
}
