package ntio.kernel.io;

import static ntio.ddk.NtStatus.STATUS_ILL_FORMED_SERVICE_ENTRY;
import static ntio.ddk.NtStatus.STATUS_OBJECT_NAME_COLLISION;
import static ntio.ddk.NtStatus.STATUS_OBJECT_NAME_INVALID;
import static ntio.ddk.NtStatus.STATUS_OBJECT_NAME_NOT_FOUND;
import static ntio.ddk.NtStatus.STATUS_OBJECT_PATH_NOT_FOUND;
import static ntio.ddk.NtStatus.STATUS_OBJECT_PATH_SYNTAX_BAD;
import static ntio.ddk.NtStatus.STATUS_SUCCESS;
import static ntio.kernel.io.LoadFixture.RESOLVED_SERVICES;
import static ntio.kernel.io.LoadFixture.SERVICES;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import ntio.ddk.DriverFlags;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;
import ntio.ddk.RegType;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;
import ntio.kernel.Kernel;
import ntio.kernel.KernelConfig;
import ntio.kernel.io.loadtests.scripted.ScriptedDriver;
import ntio.kernel.testing.DriverJars;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver object NtLoadDriver makes before DriverEntry: its name (B7), its state and its place
 * in the namespace (B8, T1, T31), and a collision of names (T27).
 */
class DriverNamingTest {

  @TempDir Path state;

  private Kernel boot() {
    return Kernel.boot(KernelConfig.of(state));
  }

  /** B7's side effect: a load that failed after mapping the image has unmapped it again. */
  private static void assertNothingLoaded(LoadFixture fixture, String service) {
    assertThat(fixture.driverNames()).isEmpty();
    assertThat(fixture.images()).isEmpty();
    assertThat(fixture.entryCount(service)).isZero();
  }

  // B7 --------------------------------------------------------------------------------------------

  @Test
  void B7_objectNameWinsOverTheServiceNameForLoadAndUnload() {
    try (Kernel kernel = boot()) {
      LoadFixture fixture = new LoadFixture(kernel);
      fixture.scriptedService("Renamed").parameter(ScriptedDriver.SET_UNLOAD)
          .set(RegValue.dword("Type", 2))
          .set(RegValue.string("ObjectName", "\\Driver\\SomethingElse"));

      assertThat(fixture.load("Renamed")).isEqualTo(STATUS_SUCCESS);

      assertThat(fixture.driverNames()).containsExactly("\\Driver\\SomethingElse");
      assertThat(fixture.driverExists("\\Driver\\Renamed")).isFalse();
      assertThat(fixture.driverExists("\\FileSystem\\Renamed")).isFalse();
      assertThat(fixture.observedString("Renamed", ScriptedDriver.DRIVER_NAME)).contains("\\Driver\\SomethingElse");
      // The service key's name is still the service's.
      assertThat(fixture.observedString("Renamed", ScriptedDriver.SERVICE_KEY_NAME)).contains("Renamed");

      assertThat(fixture.unload("Renamed")).isEqualTo(STATUS_SUCCESS);
      assertThat(fixture.unloadCount("Renamed")).isEqualTo(1);
      assertThat(fixture.driverNames()).isEmpty();
    }
  }

  @Test
  void B7_anObjectNameIsEnoughWithoutAType() {
    try (Kernel kernel = boot()) {
      LoadFixture fixture = new LoadFixture(kernel);
      fixture.scriptedService("Untyped").delete("Type").set(RegValue.string("ObjectName", "\\Driver\\Named"));

      assertThat(fixture.load("Untyped")).isEqualTo(STATUS_SUCCESS);
      assertThat(fixture.driverNames()).containsExactly("\\Driver\\Named");
    }
  }

  @Test
  void B7_anObjectNameThatIsNotANonEmptyStringIsIllFormedAndTheImageIsUnmappedAgain() {
    try (Kernel kernel = boot()) {
      LoadFixture fixture = new LoadFixture(kernel);
      LoadFixture.Key service = fixture.scriptedService("BadName");
      for (RegValue bad : List.of(
          RegValue.dword("ObjectName", 1),
          RegValue.string("ObjectName", ""),
          new RegValue("ObjectName", RegType.REG_SZ, new byte[0]),
          RegValue.expandString("ObjectName", "\\Driver\\Expandable"),
          RegValue.binary("ObjectName", "\\Driver\\Binary".getBytes(StandardCharsets.UTF_16LE)))) {
        service.set(bad);
        assertThat(fixture.load("BadName")).as("%s", bad).isEqualTo(STATUS_ILL_FORMED_SERVICE_ENTRY);
        assertNothingLoaded(fixture, "BadName");
      }

      service.set(RegValue.string("ObjectName", "\\Driver\\GoodName"));
      assertThat(fixture.load("BadName")).isEqualTo(STATUS_SUCCESS);
      assertThat(fixture.driverNames()).containsExactly("\\Driver\\GoodName");
    }
  }

  @Test
  void B7_aMissingTypeIsNameNotFoundAndTheImageIsUnmappedAgain() {
    try (Kernel kernel = boot()) {
      LoadFixture fixture = new LoadFixture(kernel);
      LoadFixture.Key service = fixture.scriptedService("Untyped").delete("Type");

      assertThat(fixture.load("Untyped")).isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
      assertNothingLoaded(fixture, "Untyped");

      service.set(RegValue.dword("Type", 1));
      assertThat(fixture.load("Untyped")).isEqualTo(STATUS_SUCCESS);
      assertThat(fixture.driverNames()).containsExactly("\\Driver\\Untyped");
    }
  }

  @Test
  void B7_aTypeThatIsNotAFourByteDwordIsIllFormedAndTheImageIsUnmappedAgain() {
    try (Kernel kernel = boot()) {
      LoadFixture fixture = new LoadFixture(kernel);
      LoadFixture.Key service = fixture.scriptedService("BadType");
      for (RegValue bad : List.of(
          RegValue.string("Type", "1"),
          RegValue.qword("Type", 1),
          RegValue.binary("Type", new byte[] {1, 0, 0, 0}),
          new RegValue("Type", RegType.REG_DWORD, new byte[] {1, 0}),
          new RegValue("Type", RegType.REG_DWORD, new byte[] {1, 0, 0, 0, 0, 0, 0, 0}))) {
        service.set(bad);
        assertThat(fixture.load("BadType")).as("%s", bad).isEqualTo(STATUS_ILL_FORMED_SERVICE_ENTRY);
        assertNothingLoaded(fixture, "BadType");
      }
    }
  }

  @Test
  void B7_fileSystemAndRecognizerTypesAreNamedBelowFileSystemAndOthersBelowDriver() {
    try (Kernel kernel = boot()) {
      LoadFixture fixture = new LoadFixture(kernel);
      fixture.scriptedService("Fs").set(RegValue.dword("Type", 2));
      fixture.scriptedService("Recognizer").set(RegValue.dword("Type", 8));
      fixture.scriptedService("Adapter").set(RegValue.dword("Type", 4));
      fixture.scriptedService("Kernel").set(RegValue.dword("Type", 1));

      for (String service : List.of("Fs", "Recognizer", "Adapter", "Kernel")) {
        assertThat(fixture.load(service)).as(service).isEqualTo(STATUS_SUCCESS);
      }

      assertThat(fixture.driverNames()).containsExactlyInAnyOrder("\\FileSystem\\Fs",
          "\\FileSystem\\Recognizer", "\\Driver\\Adapter", "\\Driver\\Kernel");
      assertThat(fixture.observedString("Fs", ScriptedDriver.DRIVER_NAME)).contains("\\FileSystem\\Fs");
      assertThat(fixture.observedString("Recognizer", ScriptedDriver.DRIVER_NAME))
          .contains("\\FileSystem\\Recognizer");
    }
  }

  // B8, T31 ---------------------------------------------------------------------------------------

  @Test
  void B8_T31_theDriverObjectIsInTheNamespaceBeforeDriverEntryRuns() {
    try (Kernel kernel = boot()) {
      LoadFixture fixture = new LoadFixture(kernel);
      fixture.scriptedService("WineTestDriver");

      assertThat(fixture.load("WineTestDriver")).isEqualTo(STATUS_SUCCESS);

      assertThat(fixture.observedStatus("WineTestDriver", ScriptedDriver.BY_NAME_STATUS)).isEqualTo(STATUS_SUCCESS);
      assertThat(fixture.observedDword("WineTestDriver", ScriptedDriver.BY_NAME_IS_SELF)).hasValue(1);
    }
  }

  @Test
  void B8_aNameTheNamespaceRefusesFailsTheInsertBeforeDriverEntryAndUnmapsTheImage() {
    try (Kernel kernel = boot()) {
      LoadFixture fixture = new LoadFixture(kernel);
      LoadFixture.Key service = fixture.scriptedService("Misplaced");
      for (Map.Entry<String, NtStatus> refused : Map.of(
          "\\NoSuchDirectory\\Misplaced", STATUS_OBJECT_PATH_NOT_FOUND,
          "Driver\\Misplaced", STATUS_OBJECT_PATH_SYNTAX_BAD,
          "\\Driver\\", STATUS_OBJECT_NAME_INVALID).entrySet()) {
        service.set(RegValue.string("ObjectName", refused.getKey()));
        assertThat(fixture.load("Misplaced")).as(refused.getKey()).isEqualTo(refused.getValue());
        assertNothingLoaded(fixture, "Misplaced");
      }
    }
  }

  @Test
  void B8_theDriverObjectIsPermanentLegacyAndEveryMajorFunctionIsTheDefaultHandler() {
    try (Kernel kernel = boot()) {
      LoadFixture fixture = new LoadFixture(kernel);
      fixture.scriptedService("Plain");

      assertThat(fixture.load("Plain")).isEqualTo(STATUS_SUCCESS);

      assertThat(fixture.observedDword("Plain", ScriptedDriver.FLAGS)).hasValue(DriverFlags.DRVO_LEGACY_DRIVER);
      assertThat(fixture.observedDword("Plain", ScriptedDriver.DEFAULT_HANDLERS_ALIKE)).hasValue(1);
      KernelDriverObject driver = fixture.referenceDriver("\\Driver\\Plain");
      try {
        assertThat(driver.isPermanent()).isTrue();
        assertThat(driver.flags()).isEqualTo(DriverFlags.DRVO_LEGACY_DRIVER | DriverFlags.DRVO_INITIALIZED);
        for (int i = 0; i <= MajorFunctions.IRP_MJ_MAXIMUM_FUNCTION; i++) {
          assertThat(driver.majorFunction(i)).as(MajorFunctions.name(i)).isSameAs(kernel.io().invalidDeviceRequest);
        }
      } finally {
        driver.dereference();
      }
    }
  }

  @Test
  void B8_aWdmImageMakesADriverObjectThatIsNotLegacy() {
    try (Kernel kernel = boot()) {
      LoadFixture fixture = new LoadFixture(kernel);
      DriverJars.image("Wdm.jar").entry(ScriptedDriver.class).wdm(true).writeTo(fixture.drivers());
      fixture.scriptedService("Wdm", "Wdm.jar");

      assertThat(fixture.load("Wdm")).isEqualTo(STATUS_SUCCESS);

      assertThat(fixture.observedDword("Wdm", ScriptedDriver.FLAGS)).hasValue(0);
    }
  }

  @Test
  void T1_driverEntrySeesTheDriverObjectAsWindowsShowsIt() {
    try (Kernel kernel = boot()) {
      LoadFixture fixture = new LoadFixture(kernel);
      fixture.scriptedService("Kmtest-IoDeviceObject");

      // Loaded through another spelling of the key: what DriverEntry sees is the registry's.
      assertThat(kernel.services().ntLoadDriver(fixture.admin, UnicodeString.of(
          "\\registry\\machine\\system\\currentcontrolset\\services\\KMTEST-IODEVICEOBJECT")))
          .isEqualTo(STATUS_SUCCESS);

      String service = "Kmtest-IoDeviceObject";
      String registryPath = RESOLVED_SERVICES + service;
      assertThat(fixture.observedDword(service, ScriptedDriver.IO_TYPE)).hasValue(4);
      assertThat(fixture.observedDword(service, ScriptedDriver.FLAGS)).hasValue(DriverFlags.DRVO_LEGACY_DRIVER);
      assertThat(fixture.observedDword(service, ScriptedDriver.DEVICE_OBJECT_IS_NULL)).hasValue(1);
      assertThat(fixture.observedDword(service, ScriptedDriver.EXTENSION_DRIVER_IS_SELF)).hasValue(1);
      assertThat(fixture.observedDword(service, ScriptedDriver.ADD_DEVICE_IS_NULL)).hasValue(1);
      assertThat(fixture.observedDword(service, ScriptedDriver.EXTENSION_COUNT)).hasValue(0);
      assertThat(fixture.observedString(service, ScriptedDriver.REGISTRY_PATH)).contains(registryPath);
      assertThat(fixture.observedDword(service, ScriptedDriver.REGISTRY_PATH_LENGTH)).hasValue(registryPath.length() * 2);
      assertThat(fixture.observedDword(service, ScriptedDriver.REGISTRY_PATH_MAXIMUM_LENGTH))
          .hasValue(registryPath.length() * 2);
      assertThat(fixture.observedString(service, ScriptedDriver.SERVICE_KEY_NAME)).contains(service);
      assertThat(fixture.observedDword(service, ScriptedDriver.SERVICE_KEY_NAME_LENGTH)).hasValue(service.length() * 2);
      assertThat(fixture.observedDword(service, ScriptedDriver.SERVICE_KEY_NAME_MAXIMUM_LENGTH))
          .hasValue(service.length() * 2 + 2);
      assertThat(fixture.observedDword(service, ScriptedDriver.SERVICE_KEY_NAME_NUL_TERMINATED)).hasValue(1);
      assertThat(fixture.observedString(service, ScriptedDriver.DRIVER_NAME)).contains("\\Driver\\" + service);
      assertThat(fixture.observedString(service, ScriptedDriver.HARDWARE_DATABASE))
          .contains("\\REGISTRY\\MACHINE\\HARDWARE\\DESCRIPTION\\SYSTEM");
      assertThat(fixture.observedDword(service, ScriptedDriver.DRIVER_INIT_IS_ENTRY)).hasValue(1);
      assertThat(fixture.observedDword(service, ScriptedDriver.DEFAULT_HANDLERS_ALIKE)).hasValue(1);
    }
  }

  // T27 -------------------------------------------------------------------------------------------

  @Test
  void T27_aSecondServiceWithTheSameObjectNameCollidesBeforeDriverEntryAndIsUnmapped() {
    try (Kernel kernel = boot()) {
      LoadFixture fixture = new LoadFixture(kernel);
      fixture.scriptedService("First").set(RegValue.string("ObjectName", "\\Driver\\Same"));
      fixture.scriptedService("Second").set(RegValue.string("ObjectName", "\\Driver\\Same"));

      assertThat(fixture.load("First")).isEqualTo(STATUS_SUCCESS);
      assertThat(fixture.load("Second")).isEqualTo(STATUS_OBJECT_NAME_COLLISION);

      assertThat(fixture.entryCount("First")).isEqualTo(1);
      assertThat(fixture.entryCount("Second")).isZero();
      assertThat(fixture.imagePaths()).containsExactly("\\SystemRoot\\System32\\drivers\\First.jar");
      assertThat(fixture.driverNames()).containsExactly("\\Driver\\Same");
      KernelDriverObject same = fixture.referenceDriver("\\Driver\\Same");
      try {
        assertThat(same.serviceName()).isEqualTo("First");
      } finally {
        same.dereference();
      }

      // The second image is free again: with a name of its own it loads.
      fixture.service("Second").set(RegValue.string("ObjectName", "\\Driver\\Other"));
      assertThat(kernel.services().ntLoadDriver(fixture.admin, UnicodeString.of(SERVICES + "Second")))
          .isEqualTo(STATUS_SUCCESS);
      assertThat(fixture.entryCount("Second")).isEqualTo(1);
    }
  }
}
