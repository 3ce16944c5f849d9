package ntio.kernel.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import ntio.ddk.DeviceTypes;
import ntio.ddk.KernelServices;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectKind;
import ntio.ddk.UnicodeString;
import ntio.kernel.Kernel;
import ntio.kernel.KernelConfig;
import ntio.kernel.executive.BugCheck;
import ntio.kernel.executive.BugCheckException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A driver may drop only references it took: one that dereferences another driver's device past
 * the references its holders keep is bug check REFERENCE_BY_POINTER (0x18) naming that driver, at
 * the dereference, and the victim's device is left intact — not freed while loaded for its own
 * driver to take the blame later.
 */
class ReferenceUnderflowTest {

  @TempDir Path state;
  private Kernel kernel;

  @BeforeEach
  void bootWithAVictimDevice() {
    kernel = Kernel.boot(KernelConfig.of(state));
    assertThat(kernel.io().createDriver("\\Driver\\Victim", (driver, path) -> driver.services()
        .createDevice(driver, null, UnicodeString.of("\\Device\\Victim"),
            DeviceTypes.FILE_DEVICE_UNKNOWN, 0, false).status()).status())
        .isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  @AfterEach
  void shutDown() {
    kernel.shutdown();
  }

  private long victimPointers() {
    var found = kernel.objects().referenceByName("\\Device\\Victim", kernel.io().deviceType());
    assertThat(found.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    try {
      return found.object().pointerCount() - 1;
    } finally {
      found.object().dereference();
    }
  }

  @Test
  void aDriverThatDropsTheReferenceItTookLeavesTheDeviceAsItWas() {
    long before = victimPointers();

    NtStatus entry = kernel.io().createDriver("\\Driver\\Borrower", (driver, path) -> {
      KernelServices services = driver.services();
      KernelServices.ObjectResult victim =
          services.referenceObjectByName(UnicodeString.of("\\Device\\Victim"), ObjectKind.DEVICE);
      services.dereferenceObject(victim.object());
      return victim.status();
    }).status();

    assertThat(entry).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(kernel.isRunning()).isTrue();
    assertThat(victimPointers()).isEqualTo(before);
  }

  @Test
  void aDereferenceOfAReferenceTheDriverNeverTookIsBugCheck0x18NamingThatDriver() {
    long before = victimPointers();

    assertThatThrownBy(() -> kernel.io().createDriver("\\Driver\\Culprit", (driver, path) -> {
      KernelServices services = driver.services();
      KernelServices.ObjectResult victim =
          services.referenceObjectByName(UnicodeString.of("\\Device\\Victim"), ObjectKind.DEVICE);
      services.dereferenceObject(victim.object());
      services.dereferenceObject(victim.object());
      return NtStatus.STATUS_SUCCESS;
    })).isInstanceOf(BugCheckException.class);

    BugCheck bugCheck = kernel.bugChecks().first().orElseThrow();
    assertThat(bugCheck.code()).isEqualTo(BugCheck.REFERENCE_BY_POINTER);
    assertThat(bugCheck.driver()).contains("Culprit");
    assertThat(bugCheck.parameter3()).as("the pointer count it found").isEqualTo(before);
    assertThat(victimPointers()).as("the victim's device is intact").isEqualTo(before);
  }
}
