package ntio.kernel.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import ntio.api.LuidAndAttributes;
import ntio.api.Privilege;
import ntio.ddk.AccessMask;
import ntio.ddk.DriverFlags;
import ntio.ddk.DriverObject;
import ntio.ddk.KernelServices.DriverResult;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.RegType;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;
import ntio.kernel.Kernel;
import ntio.kernel.KernelConfig;
import ntio.kernel.process.KThread;
import ntio.kernel.security.Sid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builtin drivers: {@code IoCreateDriver}, {@code IoDeleteDriver}, and NtUnloadDriver's refusal. */
class BuiltinDriverTest {

  @TempDir Path state;
  private Kernel kernel;

  @BeforeEach
  void boot() {
    kernel = Kernel.boot(KernelConfig.of(state));
  }

  @AfterEach
  void shutDown() {
    kernel.shutdown();
  }

  private boolean exists(String name) {
    return kernel.io().drivers().stream().anyMatch(d -> d.name().equalsIgnoreCase(name));
  }

  @Test
  void B12_aBuiltinDriverIsFlaggedBuiltinAndInitializedWithoutARegistryPath() {
    AtomicReference<String> seen = new AtomicReference<>();

    DriverResult created = kernel.io().createDriver("\\Driver\\Raw", (driver, registryPath) -> {
      seen.set("path=" + registryPath + " flags=" + driver.flags() + " service="
          + driver.driverExtension().serviceKeyName().text() + " image=" + driver.imagePath().isPresent());
      return NtStatus.STATUS_SUCCESS;
    });

    assertThat(created.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(seen.get()).isEqualTo("path=null flags=" + DriverFlags.DRVO_BUILTIN_DRIVER
        + " service=\\Driver\\Raw image=false");
    assertThat(created.driver().flags()).isEqualTo(DriverFlags.DRVO_BUILTIN_DRIVER | DriverFlags.DRVO_INITIALIZED);
    assertThat(exists("\\Driver\\Raw")).isTrue();
  }

  @Test
  void B12_withoutANameItIsNamedFromTheTickCount() {
    DriverResult created = kernel.io().createDriver(null, (driver, registryPath) -> NtStatus.STATUS_SUCCESS);

    assertThat(created.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(created.driver().driverName().text()).matches("\\\\Driver\\\\\\d{8}");
    DriverResult second = kernel.io().createDriver(null, (driver, registryPath) -> NtStatus.STATUS_SUCCESS);
    assertThat(second.driver().driverName().text()).isNotEqualTo(created.driver().driverName().text());
  }

  @Test
  void B12_aFailingInitIsReturnedAndTheDriverIsGoneAgain() {
    DriverResult created = kernel.io().createDriver("\\Driver\\Broken",
        (driver, registryPath) -> NtStatus.STATUS_DEVICE_NOT_READY);

    assertThat(created.status()).isEqualTo(NtStatus.STATUS_DEVICE_NOT_READY);
    assertThat(created.driver()).isNull();
    assertThat(exists("\\Driver\\Broken")).isFalse();
    assertThat(kernel.io().createDriver("\\Driver\\Broken", (d, p) -> NtStatus.STATUS_SUCCESS).status())
        .isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  @Test
  void B12_aSecondBuiltinDriverOfTheSameNameCollidesAndItsInitNeverRuns() {
    kernel.io().createDriver("\\Driver\\Twice", (d, p) -> NtStatus.STATUS_SUCCESS);
    AtomicReference<Boolean> ran = new AtomicReference<>(false);

    DriverResult again = kernel.io().createDriver("\\Driver\\Twice", (d, p) -> {
      ran.set(true);
      return NtStatus.STATUS_SUCCESS;
    });

    assertThat(again.status()).isEqualTo(NtStatus.STATUS_OBJECT_NAME_COLLISION);
    assertThat(ran.get()).isFalse();
  }

  @Test
  void B12_ioDeleteDriverRemovesIt() {
    DriverObject created = kernel.io().createDriver("\\Driver\\Short", (d, p) -> NtStatus.STATUS_SUCCESS).driver();

    kernel.io().deleteDriver(created);

    assertThat(exists("\\Driver\\Short")).isFalse();
  }

  @Test
  void B17_ntUnloadDriverRefusesABuiltinDriverEvenWithAnUnloadRoutine() {
    kernel.io().createDriver("\\Driver\\Builtin1", (driver, registryPath) -> {
      driver.setDriverUnload(d -> { });
      return NtStatus.STATUS_SUCCESS;
    });
    KThread admin = kernel.administratorSession("installer", Sid.unixUser(1000));
    var nt = kernel.services();
    String service = "\\Registry\\Machine\\System\\CurrentControlSet\\Services\\Builtin1";
    var key = nt.ntCreateKey(admin, AccessMask.KEY_ALL_ACCESS, ObjectAttributes.of(service), 0);
    nt.ntSetValueKey(admin, key.handle(), UnicodeString.of("Type"), RegType.REG_DWORD, RegValue.dword("", 1).data());
    nt.ntClose(admin, key.handle());
    nt.ntAdjustPrivilegesToken(admin, List.of(LuidAndAttributes.enable(Privilege.SE_LOAD_DRIVER_PRIVILEGE)));

    assertThat(nt.ntUnloadDriver(admin, UnicodeString.of(service))).isEqualTo(NtStatus.STATUS_INVALID_DEVICE_REQUEST);
    assertThat(exists("\\Driver\\Builtin1")).isTrue();
  }
}
