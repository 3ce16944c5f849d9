package ntio.kernel.io;

import static ntio.ddk.NtStatus.STATUS_ACCESS_VIOLATION;
import static ntio.ddk.NtStatus.STATUS_ILL_FORMED_SERVICE_ENTRY;
import static ntio.ddk.NtStatus.STATUS_IMAGE_ALREADY_LOADED;
import static ntio.ddk.NtStatus.STATUS_INVALID_PARAMETER;
import static ntio.ddk.NtStatus.STATUS_NOT_ALL_ASSIGNED;
import static ntio.ddk.NtStatus.STATUS_OBJECT_NAME_NOT_FOUND;
import static ntio.ddk.NtStatus.STATUS_PRIVILEGE_NOT_HELD;
import static ntio.ddk.NtStatus.STATUS_SUCCESS;
import static ntio.kernel.io.LoadFixture.SERVICES;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import ntio.api.LuidAndAttributes;
import ntio.api.OpenResult;
import ntio.api.Privilege;
import ntio.ddk.AccessMask;
import ntio.ddk.Handle;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.ProcessorMode;
import ntio.ddk.RegType;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;
import ntio.kernel.Kernel;
import ntio.kernel.KernelConfig;
import ntio.kernel.io.loadtests.scripted.ScriptedDriver;
import ntio.kernel.process.KThread;
import ntio.kernel.security.Sid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * NtLoadDriver up to the image: who may call it (B1), what it captures (B2), where it runs (B3),
 * which key it reads (B4), which image that key names (B5) and what happens when that image is
 * already loaded (B6), through real driver JARs.
 */
class DriverLoadingTest {

  @TempDir Path state;

  private Kernel boot() {
    return Kernel.boot(KernelConfig.of(state));
  }

  private static UnicodeString name(String service) {
    return UnicodeString.of(SERVICES + service);
  }

  /** Nothing of a driver is left: no driver object, nothing in the loader's list. */
  private static void assertNothingLoaded(LoadFixture fixture) {
    assertThat(fixture.driverNames()).isEmpty();
    assertThat(fixture.images()).isEmpty();
  }

  // B1 --------------------------------------------------------------------------------------------

  @Test
  void B1_anAdministratorWhosePrivilegeIsPresentButDisabledIsRefusedWhateverTheName() {
    try (Kernel kernel = boot()) {
      LoadFixture fixture = new LoadFixture(kernel);
      fixture.scriptedService("Scripted");
      KThread admin = kernel.administratorSession("disabled", Sid.unixUser(1001));
      assertThat(admin.token().hasPrivilege(Privilege.SE_LOAD_DRIVER_PRIVILEGE)).isTrue();
      assertThat(admin.token().isPrivilegeEnabled(Privilege.SE_LOAD_DRIVER_PRIVILEGE)).isFalse();

      assertThat(kernel.services().ntLoadDriver(admin, name("Scripted"))).isEqualTo(STATUS_PRIVILEGE_NOT_HELD);
      assertThat(kernel.services().ntLoadDriver(admin, null)).isEqualTo(STATUS_PRIVILEGE_NOT_HELD);
      assertThat(kernel.services().ntLoadDriver(admin, UnicodeString.empty())).isEqualTo(STATUS_PRIVILEGE_NOT_HELD);
      assertThat(kernel.services().ntLoadDriver(admin, UnicodeString.raw(20, 20, null)))
          .isEqualTo(STATUS_PRIVILEGE_NOT_HELD);
      assertThat(fixture.entryCount("Scripted")).isZero();
      assertNothingLoaded(fixture);

      // The same administrator, once the privilege is enabled, loads the same service.
      kernel.services().ntAdjustPrivilegesToken(admin,
          List.of(LuidAndAttributes.enable(Privilege.SE_LOAD_DRIVER_PRIVILEGE)));
      assertThat(kernel.services().ntLoadDriver(admin, name("Scripted"))).isEqualTo(STATUS_SUCCESS);
      assertThat(fixture.entryCount("Scripted")).isEqualTo(1);
    }
  }

  @Test
  void B1_aStandardUserHasNoPrivilegeToEnableAndIsRefusedWhateverTheName() {
    try (Kernel kernel = boot()) {
      LoadFixture fixture = new LoadFixture(kernel);
      fixture.scriptedService("Scripted");
      KThread user = kernel.userSession("user", Sid.unixUser(2000));
      assertThat(kernel.services().ntAdjustPrivilegesToken(user,
          List.of(LuidAndAttributes.enable(Privilege.SE_LOAD_DRIVER_PRIVILEGE))).status())
          .isEqualTo(STATUS_NOT_ALL_ASSIGNED);

      assertThat(kernel.services().ntLoadDriver(user, name("Scripted"))).isEqualTo(STATUS_PRIVILEGE_NOT_HELD);
      assertThat(kernel.services().ntLoadDriver(user, null)).isEqualTo(STATUS_PRIVILEGE_NOT_HELD);
      assertThat(kernel.services().ntLoadDriver(user, UnicodeString.raw(0, 0, null)))
          .isEqualTo(STATUS_PRIVILEGE_NOT_HELD);
      assertThat(fixture.entryCount("Scripted")).isZero();
      assertNothingLoaded(fixture);
    }
  }

  @Test
  void B1_kernelModeCallersPassWithoutThePrivilege() {
    try (Kernel kernel = boot()) {
      LoadFixture fixture = new LoadFixture(kernel);
      fixture.scriptedService("BySystem");
      fixture.scriptedService("ByUserInKernelMode");

      assertThat(kernel.services().ntLoadDriver(kernel.systemThread(), name("BySystem"))).isEqualTo(STATUS_SUCCESS);
      // A standard user's thread calling from kernel mode: the token is not looked at.
      KThread user = kernel.userSession("user", Sid.unixUser(2000)).asKernel();
      assertThat(user.token().hasPrivilege(Privilege.SE_LOAD_DRIVER_PRIVILEGE)).isFalse();
      assertThat(kernel.services().ntLoadDriver(user, name("ByUserInKernelMode"))).isEqualTo(STATUS_SUCCESS);

      assertThat(fixture.driverNames())
          .containsExactlyInAnyOrder("\\Driver\\BySystem", "\\Driver\\ByUserInKernelMode");
    }
  }

  // B2 --------------------------------------------------------------------------------------------

  @Test
  void B2_aNullNameIsAnAccessViolation() {
    try (Kernel kernel = boot()) {
      LoadFixture fixture = new LoadFixture(kernel);
      assertThat(kernel.services().ntLoadDriver(fixture.admin, null)).isEqualTo(STATUS_ACCESS_VIOLATION);
      assertNothingLoaded(fixture);
    }
  }

  @Test
  void B2_aNameOfLengthZeroIsAnInvalidParameter() {
    try (Kernel kernel = boot()) {
      LoadFixture fixture = new LoadFixture(kernel);
      for (UnicodeString empty : List.of(UnicodeString.raw(0, 0, null), UnicodeString.empty(),
          UnicodeString.raw(0, 20, "\\Registry\\".toCharArray()))) {
        assertThat(kernel.services().ntLoadDriver(fixture.admin, empty)).as("%s", empty)
            .isEqualTo(STATUS_INVALID_PARAMETER);
      }
      assertNothingLoaded(fixture);
    }
  }

  @Test
  void B2_aBufferShorterThanItsLengthIsAnAccessViolation() {
    try (Kernel kernel = boot()) {
      LoadFixture fixture = new LoadFixture(kernel);
      fixture.scriptedService("Scripted");
      char[] whole = (SERVICES + "Scripted").toCharArray();
      char[] short3 = {'\\', 'R', 'e'};
      for (UnicodeString unreadable : List.of(UnicodeString.raw(whole.length * 2, whole.length * 2, short3),
          UnicodeString.raw(whole.length * 2, whole.length * 2, null))) {
        assertThat(kernel.services().ntLoadDriver(fixture.admin, unreadable)).as("%s", unreadable)
            .isEqualTo(STATUS_ACCESS_VIOLATION);
      }
      assertThat(fixture.entryCount("Scripted")).isZero();
      assertNothingLoaded(fixture);
    }
  }

  // B3 --------------------------------------------------------------------------------------------

  @Test
  @Timeout(30)
  void B3_driverEntryRunsOnASystemWorkerThreadAndNotOnTheCallers() throws InterruptedException {
    try (Kernel kernel = boot()) {
      LoadFixture fixture = new LoadFixture(kernel);
      fixture.scriptedService("Scripted");
      assertThat(fixture.load("Scripted")).isEqualTo(STATUS_SUCCESS);

      String ranOn = fixture.observedString("Scripted", ScriptedDriver.THREAD).orElseThrow();
      Map<Thread, KThread> workers = fixture.delayedWorkerBindings();
      Thread worker = LoadFixture.liveThread(ranOn).orElseThrow();
      assertThat(workers).containsKey(worker);
      assertThat(workers.get(worker).process()).isSameAs(kernel.processes().systemProcess());
      assertThat(workers.get(worker).previousMode()).isEqualTo(ProcessorMode.KERNEL);
      // The caller is not one of them: it only waited.
      assertThat(workers).doesNotContainKey(Thread.currentThread());
      assertThat(ranOn).isNotEqualTo(Thread.currentThread().getName());
      assertThat(kernel.processes().isSystemThread()).isFalse();
    }
  }

  // B4 --------------------------------------------------------------------------------------------

  @Test
  void B4_T3_aMissingServiceKeyIsNameNotFoundAndCreatesNothing() {
    try (Kernel kernel = boot()) {
      LoadFixture fixture = new LoadFixture(kernel);
      fixture.scriptedImage("deadbeef.jar");
      assertThat(fixture.load("deadbeef")).isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
      assertThat(fixture.driverExists("\\Driver\\deadbeef")).isFalse();
      assertNothingLoaded(fixture);
    }
  }

  @Test
  void B4_anyKeyPathNamesAServiceWhoseNameIsItsLastComponent() {
    try (Kernel kernel = boot()) {
      LoadFixture fixture = new LoadFixture(kernel);
      fixture.scriptedImage("Odd.jar");
      String path = "\\Registry\\Machine\\Software\\NtioTests\\Odd";
      fixture.key(path).installer("Odd.jar");

      assertThat(kernel.services().ntLoadDriver(fixture.admin, UnicodeString.of(path))).isEqualTo(STATUS_SUCCESS);

      assertThat(fixture.driverNames()).containsExactly("\\Driver\\Odd");
      assertThat(fixture.value(path + "\\" + ScriptedDriver.OBSERVED, ScriptedDriver.REGISTRY_PATH)
          .flatMap(RegValue::stringValue)).contains("\\REGISTRY\\MACHINE\\SOFTWARE\\NtioTests\\Odd");
    }
  }

  @Test
  void B4_aNameTheRegistryCannotOpenFailsWithTheRegistrysOwnStatus() {
    try (Kernel kernel = boot()) {
      LoadFixture fixture = new LoadFixture(kernel);
      fixture.scriptedService("Scripted");
      String whole = SERVICES + "Scripted";
      for (UnicodeString malformed : List.of(
          UnicodeString.of("Registry\\Machine\\System\\CurrentControlSet\\Services\\Scripted"),
          UnicodeString.raw(whole.length() * 2 - 1, whole.length() * 2, whole.toCharArray()),
          UnicodeString.of(SERVICES + "\\Scripted"),
          UnicodeString.of(SERVICES + "Scripted\\"),
          UnicodeString.of("\\Nowhere\\Services\\Scripted"),
          UnicodeString.of(SERVICES + "Missing\\Scripted"))) {
        OpenResult opened = kernel.services().ntOpenKey(fixture.admin, AccessMask.KEY_READ,
            new ObjectAttributes(Handle.NULL, malformed, ObjectAttributes.OBJ_CASE_INSENSITIVE));
        assertThat(opened.status().isSuccess()).as("%s opens", malformed).isFalse();

        assertThat(kernel.services().ntLoadDriver(fixture.admin, malformed)).as("%s", malformed)
            .isEqualTo(opened.status());
      }
      assertThat(fixture.entryCount("Scripted")).isZero();
      assertNothingLoaded(fixture);
    }
  }

  // B5 --------------------------------------------------------------------------------------------

  @Test
  void B5_anAbsentImagePathLoadsTheDefaultImageOfTheService() {
    try (Kernel kernel = boot()) {
      LoadFixture fixture = new LoadFixture(kernel);
      fixture.scriptedImage("Defaulted.jar");
      fixture.service("Defaulted").set(RegValue.dword("Type", 1)).set(RegValue.dword("Start", 3));

      assertThat(fixture.load("Defaulted")).isEqualTo(STATUS_SUCCESS);

      assertThat(fixture.imagePaths()).containsExactly("\\SystemRoot\\System32\\drivers\\Defaulted.jar");
      KernelDriverObject driver = fixture.referenceDriver("\\Driver\\Defaulted");
      try {
        assertThat(driver.imagePath()).contains("\\SystemRoot\\System32\\drivers\\Defaulted.jar");
      } finally {
        driver.dereference();
      }
    }
  }

  @Test
  void B5_anImagePathOfAnotherTypeOrWithoutTextIsAnIllFormedServiceEntry() {
    try (Kernel kernel = boot()) {
      LoadFixture fixture = new LoadFixture(kernel);
      LoadFixture.Key service = fixture.scriptedService("Scripted");
      for (RegValue bad : List.of(
          RegValue.dword("ImagePath", 1),
          RegValue.binary("ImagePath", "System32\\drivers\\Scripted.jar".getBytes(java.nio.charset.StandardCharsets.UTF_16LE)),
          RegValue.multiString("ImagePath", List.of("System32\\drivers\\Scripted.jar")),
          new RegValue("ImagePath", RegType.REG_EXPAND_SZ, new byte[0]),
          RegValue.expandString("ImagePath", ""))) {
        service.set(bad);
        assertThat(fixture.load("Scripted")).as("%s", bad).isEqualTo(STATUS_ILL_FORMED_SERVICE_ENTRY);
        assertNothingLoaded(fixture);
      }
      assertThat(fixture.entryCount("Scripted")).isZero();

      service.set(RegValue.expandString("ImagePath", "System32\\drivers\\Scripted.jar"));
      assertThat(fixture.load("Scripted")).isEqualTo(STATUS_SUCCESS);
    }
  }

  @Test
  void B5_aRegSzImagePathIsReadLikeARegExpandSzOne() {
    try (Kernel kernel = boot()) {
      LoadFixture fixture = new LoadFixture(kernel);
      fixture.scriptedService("Plain").set(RegValue.string("ImagePath", "System32\\drivers\\Plain.jar"));

      assertThat(fixture.load("Plain")).isEqualTo(STATUS_SUCCESS);
      assertThat(fixture.imagePaths()).containsExactly("\\SystemRoot\\System32\\drivers\\Plain.jar");
    }
  }

  @Test
  void B5_aRelativeImagePathIsBelowSystemRootAndAnAbsoluteOneIsKept() {
    try (Kernel kernel = boot()) {
      LoadFixture fixture = new LoadFixture(kernel);
      fixture.scriptedService("Relative");
      fixture.scriptedImage("Absolute.jar");
      fixture.service("Absolute").installer("Absolute.jar")
          .set(RegValue.expandString("ImagePath", "\\SystemRoot\\System32\\drivers\\Absolute.jar"));

      assertThat(fixture.load("Relative")).isEqualTo(STATUS_SUCCESS);
      assertThat(fixture.load("Absolute")).isEqualTo(STATUS_SUCCESS);

      assertThat(fixture.imagePaths()).containsExactly(
          "\\SystemRoot\\System32\\drivers\\Relative.jar", "\\SystemRoot\\System32\\drivers\\Absolute.jar");
    }
  }

  // B6 --------------------------------------------------------------------------------------------

  @Test
  void B6_T33_loadingALoadedServiceAgainIsImageAlreadyLoadedAndOneUnloadSuffices() {
    try (Kernel kernel = boot()) {
      LoadFixture fixture = new LoadFixture(kernel);
      fixture.scriptedService("Twice").parameter(ScriptedDriver.SET_UNLOAD);

      assertThat(fixture.load("Twice")).isEqualTo(STATUS_SUCCESS);
      assertThat(fixture.load("Twice")).isEqualTo(STATUS_IMAGE_ALREADY_LOADED);

      assertThat(fixture.entryCount("Twice")).isEqualTo(1);
      assertThat(fixture.driverNames()).containsExactly("\\Driver\\Twice");
      assertThat(fixture.images()).hasSize(1);

      assertThat(fixture.unload("Twice")).isEqualTo(STATUS_SUCCESS);
      assertThat(fixture.unloadCount("Twice")).isEqualTo(1);
      assertNothingLoaded(fixture);
      assertThat(fixture.unload("Twice")).isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
    }
  }

  @Test
  void B6_twoServicesNamingOneImageLoadItOnceAndTheSecondGetsNoDriverObject() {
    try (Kernel kernel = boot()) {
      LoadFixture fixture = new LoadFixture(kernel);
      fixture.scriptedImage("Shared.jar");
      fixture.scriptedService("First", "Shared.jar");
      fixture.scriptedService("Second", "Shared.jar");
      // The same image spelled in other cases is the same image: NT paths compare without case.
      fixture.scriptedService("Third", "SHARED.JAR")
          .set(RegValue.expandString("ImagePath", "system32\\DRIVERS\\shared.JAR"));

      assertThat(fixture.load("First")).isEqualTo(STATUS_SUCCESS);
      assertThat(fixture.load("Second")).isEqualTo(STATUS_IMAGE_ALREADY_LOADED);
      assertThat(fixture.load("Third")).isEqualTo(STATUS_IMAGE_ALREADY_LOADED);

      assertThat(fixture.entryCount("First")).isEqualTo(1);
      assertThat(fixture.entryCount("Second")).isZero();
      assertThat(fixture.entryCount("Third")).isZero();
      assertThat(fixture.driverNames()).containsExactly("\\Driver\\First");
      assertThat(fixture.images()).hasSize(1);
      assertThat(fixture.images().get(0).serviceName()).isEqualTo("First");
    }
  }

  // T30 -------------------------------------------------------------------------------------------

  @Test
  void T30_aKernelDriverServiceStartsAndItsDosNameOpens() {
    try (Kernel kernel = boot()) {
      LoadFixture fixture = new LoadFixture(kernel);
      fixture.scriptedService("WineTestDriver")
          .parameter(ScriptedDriver.DEVICE, "\\Device\\WineTestDriver")
          .parameter(ScriptedDriver.LINK, "\\DosDevices\\WineTestDriver")
          .parameter(ScriptedDriver.OWN_DISPATCH)
          .parameter(ScriptedDriver.SET_UNLOAD);

      assertThat(fixture.load("WineTestDriver")).isEqualTo(STATUS_SUCCESS);

      assertThat(fixture.observedStatus("WineTestDriver", ScriptedDriver.LINK_STATUS)).isEqualTo(STATUS_SUCCESS);
      assertThat(fixture.linkExists("\\DosDevices\\WineTestDriver")).isTrue();
      KThread client = kernel.userSession("client", Sid.unixUser(3000));
      OpenResult opened = fixture.open(client, "\\??\\WineTestDriver");
      assertThat(opened.status()).isEqualTo(STATUS_SUCCESS);
      assertThat(kernel.services().ntClose(client, opened.handle())).isEqualTo(STATUS_SUCCESS);

      assertThat(fixture.unload("WineTestDriver")).isEqualTo(STATUS_SUCCESS);
      assertThat(fixture.unloadCount("WineTestDriver")).isEqualTo(1);
      assertThat(fixture.linkExists("\\DosDevices\\WineTestDriver")).isFalse();
      assertThat(fixture.deviceExists("\\Device\\WineTestDriver")).isFalse();
      assertNothingLoaded(fixture);
    }
  }
}
