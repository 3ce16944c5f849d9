package ntio.kernel.io;

import static ntio.ddk.NtStatus.STATUS_IMAGE_ALREADY_LOADED;
import static ntio.ddk.NtStatus.STATUS_INVALID_DEVICE_REQUEST;
import static ntio.ddk.NtStatus.STATUS_NOT_IMPLEMENTED;
import static ntio.ddk.NtStatus.STATUS_NO_SUCH_DEVICE;
import static ntio.ddk.NtStatus.STATUS_OBJECT_NAME_EXISTS;
import static ntio.ddk.NtStatus.STATUS_OBJECT_NAME_NOT_FOUND;
import static ntio.ddk.NtStatus.STATUS_SUCCESS;
import static ntio.ddk.NtStatus.STATUS_UNSUCCESSFUL;
import static ntio.kernel.io.LoadFixture.RESOLVED_SERVICES;
import static ntio.kernel.io.LoadFixture.SERVICES;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import ntio.api.OpenResult;
import ntio.ddk.DeviceFlags;
import ntio.ddk.DriverFlags;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;
import ntio.kernel.Kernel;
import ntio.kernel.KernelConfig;
import ntio.kernel.io.loadtests.scripted.ScriptedDriver;
import ntio.kernel.loader.LoadedImage;
import ntio.kernel.process.KThread;
import ntio.kernel.security.Sid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DriverEntry itself: what it is given (B9), what a failure does (B10, T35), what the I/O manager
 * does after a success (B11, T16), and the loads and unloads DriverEntry makes (T2, T3, T4, T11,
 * T12).
 */
class DriverEntryTest {

  /** {@code CTL_CODE(FILE_DEVICE_UNKNOWN, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS)}. */
  private static final int ANY_ACCESS_IOCTL = 0x00222000;

  @TempDir Path state;

  private Kernel boot() {
    return Kernel.boot(KernelConfig.of(state));
  }

  // B9 --------------------------------------------------------------------------------------------

  @Test
  void B9_registryPathIsTheResolvedKeyNameEvenWhenLoadedThroughCurrentControlSet() {
    try (Kernel kernel = boot()) {
      LoadFixture fixture = new LoadFixture(kernel);
      fixture.scriptedService("Scripted");

      assertThat(kernel.services().ntLoadDriver(fixture.admin,
          UnicodeString.of("\\REGISTRY\\Machine\\SYSTEM\\currentcontrolset\\SERVICES\\scripted")))
          .isEqualTo(STATUS_SUCCESS);

      String resolved = RESOLVED_SERVICES + "Scripted";
      assertThat(fixture.observedString("Scripted", ScriptedDriver.REGISTRY_PATH)).contains(resolved);
      assertThat(fixture.observedDword("Scripted", ScriptedDriver.REGISTRY_PATH_LENGTH)).hasValue(resolved.length() * 2);
      assertThat(fixture.observedDword("Scripted", ScriptedDriver.REGISTRY_PATH_MAXIMUM_LENGTH))
          .hasValue(resolved.length() * 2);
    }
  }

  @Test
  void B9_driverEntrySeesNoDeviceNoAddDeviceAndACountOfZero() {
    try (Kernel kernel = boot()) {
      LoadFixture fixture = new LoadFixture(kernel);
      fixture.scriptedService("Scripted");

      assertThat(fixture.load("Scripted")).isEqualTo(STATUS_SUCCESS);

      assertThat(fixture.observedDword("Scripted", ScriptedDriver.FLAGS)).hasValue(DriverFlags.DRVO_LEGACY_DRIVER);
      assertThat(fixture.observedDword("Scripted", ScriptedDriver.DEVICE_OBJECT_IS_NULL)).hasValue(1);
      assertThat(fixture.observedDword("Scripted", ScriptedDriver.ADD_DEVICE_IS_NULL)).hasValue(1);
      assertThat(fixture.observedDword("Scripted", ScriptedDriver.EXTENSION_COUNT)).hasValue(0);
    }
  }

  // B10, T35 --------------------------------------------------------------------------------------

  @Test
  void B10_T35_aFailingDriverEntryReturnsItsOwnStatusNeverUnloadsAndLeavesNothing() {
    try (Kernel kernel = boot()) {
      LoadFixture fixture = new LoadFixture(kernel);
      LoadFixture.Key service = fixture.scriptedService("WineTestDriver3")
          .parameter(ScriptedDriver.DEVICE, "\\Device\\WineTestDriver3")
          .parameter(ScriptedDriver.SET_UNLOAD)
          .parameter(RegValue.dword(ScriptedDriver.STATUS, STATUS_NOT_IMPLEMENTED.code()));

      assertThat(fixture.load("WineTestDriver3")).isEqualTo(STATUS_NOT_IMPLEMENTED);

      assertThat(fixture.entryCount("WineTestDriver3")).isEqualTo(1);
      assertThat(fixture.observedStatus("WineTestDriver3", ScriptedDriver.DEVICE_STATUS)).isEqualTo(STATUS_SUCCESS);
      assertThat(fixture.unloadCount("WineTestDriver3")).isZero();
      assertThat(fixture.driverExists("\\Driver\\WineTestDriver3")).isFalse();
      assertThat(fixture.deviceExists("\\Device\\WineTestDriver3")).isFalse();
      assertThat(fixture.driverNames()).isEmpty();
      assertThat(fixture.images()).isEmpty();

      // A status ntio has no name for comes back just as unchanged.
      NtStatus unnamed = NtStatus.of(0xE0DE0001);
      service.parameter(RegValue.dword(ScriptedDriver.STATUS, unnamed.code()));
      assertThat(fixture.load("WineTestDriver3")).isEqualTo(unnamed);
      assertThat(fixture.images()).isEmpty();

      service.parameter(RegValue.dword(ScriptedDriver.STATUS, 0));
      assertThat(fixture.load("WineTestDriver3")).isEqualTo(STATUS_SUCCESS);
      assertThat(fixture.entryCount("WineTestDriver3")).isEqualTo(3);
      assertThat(fixture.unloadCount("WineTestDriver3")).isZero();
    }
  }

  @Test
  void B10_aDeviceAFailingDriverEntryLeftBehindKeepsTheDriverObjectAndItsImage() {
    try (Kernel kernel = boot()) {
      LoadFixture fixture = new LoadFixture(kernel);
      fixture.scriptedService("Leaky")
          .parameter(ScriptedDriver.DEVICE, "\\Device\\Leftover")
          .parameter(ScriptedDriver.LEAK_DEVICE)
          .parameter(ScriptedDriver.SET_UNLOAD)
          .parameter(RegValue.dword(ScriptedDriver.STATUS, STATUS_UNSUCCESSFUL.code()));

      assertThat(fixture.load("Leaky")).isEqualTo(STATUS_UNSUCCESSFUL);

      // The name is gone and DriverUnload never ran ...
      assertThat(fixture.driverExists("\\Driver\\Leaky")).isFalse();
      assertThat(fixture.driverNames()).isEmpty();
      assertThat(fixture.unloadCount("Leaky")).isZero();
      // ... but the device holds the driver object, and the driver object holds the image. Nothing
      // will ever delete them: the leak the verifier reports.
      assertThat(fixture.deviceExists("\\Device\\Leftover")).isTrue();
      assertThat(fixture.images()).hasSize(1);
      LoadedImage image = fixture.images().get(0);
      assertThat(image.isMapped()).isTrue();
      KernelDeviceObject device = fixture.referenceDevice("\\Device\\Leftover");
      try {
        assertThat(device.driver().serviceName()).isEqualTo("Leaky");
        assertThat(device.driver().isDeleted()).isFalse();
        assertThat(device.driver().flags() & DriverFlags.DRVO_INITIALIZED).isZero();
        assertThat(device.flags() & DeviceFlags.DO_DEVICE_INITIALIZING).isNotZero();
      } finally {
        device.dereference();
      }
      // Never readied, the device cannot be opened; the image is still loaded for the next try.
      KThread client = kernel.userSession("client", Sid.unixUser(3000));
      assertThat(fixture.open(client, "\\Device\\Leftover").status()).isEqualTo(STATUS_NO_SUCH_DEVICE);
      assertThat(fixture.load("Leaky")).isEqualTo(STATUS_IMAGE_ALREADY_LOADED);
      assertThat(fixture.entryCount("Leaky")).isEqualTo(1);
      // Nameless, the driver cannot be unloaded either.
      assertThat(fixture.unload("Leaky")).isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
      assertThat(fixture.unloadCount("Leaky")).isZero();
      assertThat(image.isMapped()).isTrue();
    }
  }

  @Test
  void B10_anInformationalStatusFromDriverEntryIsASuccessfulLoad() {
    try (Kernel kernel = boot()) {
      LoadFixture fixture = new LoadFixture(kernel);
      fixture.scriptedService("Informational")
          .parameter(ScriptedDriver.DEVICE, "\\Device\\Informational")
          .parameter(ScriptedDriver.OWN_DISPATCH)
          .parameter(RegValue.dword(ScriptedDriver.STATUS, STATUS_OBJECT_NAME_EXISTS.code()));

      NtStatus loaded = fixture.load("Informational");

      assertThat(loaded).isEqualTo(STATUS_OBJECT_NAME_EXISTS);
      assertThat(loaded.isSuccess()).isTrue();
      assertThat(fixture.driverNames()).containsExactly("\\Driver\\Informational");
      KernelDriverObject driver = fixture.referenceDriver("\\Driver\\Informational");
      try {
        assertThat(driver.flags()).isEqualTo(DriverFlags.DRVO_LEGACY_DRIVER | DriverFlags.DRVO_INITIALIZED);
      } finally {
        driver.dereference();
      }
      KThread client = kernel.userSession("client", Sid.unixUser(3000));
      OpenResult opened = fixture.open(client, "\\Device\\Informational");
      assertThat(opened.status()).isEqualTo(STATUS_SUCCESS);
      kernel.services().ntClose(client, opened.handle());
    }
  }

  // B11, T16 --------------------------------------------------------------------------------------

  @Test
  void B11_T16_dispatchEntriesLeftNullAreTheDefaultHandlerAgainAndFailTheirRequests() {
    try (Kernel kernel = boot()) {
      LoadFixture fixture = new LoadFixture(kernel);
      fixture.scriptedService("Nulls")
          .parameter(ScriptedDriver.DEVICE, "\\Device\\Nulls")
          .parameter(ScriptedDriver.OWN_DISPATCH);

      assertThat(fixture.load("Nulls")).isEqualTo(STATUS_SUCCESS);

      Set<Integer> own = Set.of(MajorFunctions.IRP_MJ_CREATE, MajorFunctions.IRP_MJ_CLOSE,
          MajorFunctions.IRP_MJ_CLEANUP, MajorFunctions.IRP_MJ_DEVICE_CONTROL);
      KernelDriverObject driver = fixture.referenceDriver("\\Driver\\Nulls");
      try {
        for (int i = 0; i <= MajorFunctions.IRP_MJ_MAXIMUM_FUNCTION; i++) {
          if (own.contains(i)) {
            assertThat(driver.majorFunction(i)).as(MajorFunctions.name(i))
                .isNotNull().isNotSameAs(kernel.io().invalidDeviceRequest);
          } else {
            assertThat(driver.majorFunction(i)).as(MajorFunctions.name(i))
                .isSameAs(kernel.io().invalidDeviceRequest)
                .isSameAs(driver.majorFunction(MajorFunctions.IRP_MJ_CREATE_NAMED_PIPE));
          }
        }
      } finally {
        driver.dereference();
      }

      KThread client = kernel.userSession("client", Sid.unixUser(3000));
      OpenResult opened = fixture.open(client, "\\Device\\Nulls");
      assertThat(opened.status()).isEqualTo(STATUS_SUCCESS);
      try {
        assertThat(kernel.services().ntReadFile(client, opened.handle(), 16, 0).status())
            .isEqualTo(STATUS_INVALID_DEVICE_REQUEST);
        assertThat(kernel.services().ntWriteFile(client, opened.handle(), new byte[] {1, 2}, 0).status())
            .isEqualTo(STATUS_INVALID_DEVICE_REQUEST);
        assertThat(kernel.services().ntDeviceIoControlFile(client, opened.handle(), ANY_ACCESS_IOCTL, null, 0)
            .status()).isEqualTo(STATUS_SUCCESS);
      } finally {
        kernel.services().ntClose(client, opened.handle());
      }
    }
  }

  @Test
  void B11_devicesCreatedInDriverEntryAreReadiedAndTheDriverIsInitialized() {
    try (Kernel kernel = boot()) {
      LoadFixture fixture = new LoadFixture(kernel);
      fixture.scriptedService("Ready")
          .parameter(ScriptedDriver.DEVICE, "\\Device\\Ready")
          .parameter(ScriptedDriver.OWN_DISPATCH);

      assertThat(fixture.load("Ready")).isEqualTo(STATUS_SUCCESS);

      assertThat(fixture.observedDword("Ready", ScriptedDriver.DEVICE_FLAGS_IN_ENTRY))
          .hasValue(DeviceFlags.DO_DEVICE_HAS_NAME | DeviceFlags.DO_DEVICE_INITIALIZING);
      KernelDeviceObject device = fixture.referenceDevice("\\Device\\Ready");
      try {
        assertThat(device.flags()).isEqualTo(DeviceFlags.DO_DEVICE_HAS_NAME);
        assertThat(device.driver().flags()).isEqualTo(DriverFlags.DRVO_LEGACY_DRIVER | DriverFlags.DRVO_INITIALIZED);
      } finally {
        device.dereference();
      }
      KThread client = kernel.userSession("client", Sid.unixUser(3000));
      OpenResult opened = fixture.open(client, "\\Device\\Ready");
      assertThat(opened.status()).isEqualTo(STATUS_SUCCESS);
      kernel.services().ntClose(client, opened.handle());
    }
  }

  // T2, T4, T11 -----------------------------------------------------------------------------------

  @Test
  void T2_loadingYourselfFromDriverEntryIsImageAlreadyLoadedAndDoesNotReenter() {
    try (Kernel kernel = boot()) {
      LoadFixture fixture = new LoadFixture(kernel);
      fixture.scriptedService("Self").parameter(ScriptedDriver.LOAD_SELF);

      assertThat(fixture.load("Self")).isEqualTo(STATUS_SUCCESS);

      assertThat(fixture.observedStatus("Self", ScriptedDriver.LOAD_SELF_STATUS)).isEqualTo(STATUS_IMAGE_ALREADY_LOADED);
      assertThat(fixture.entryCount("Self")).isEqualTo(1);
      assertThat(fixture.driverNames()).containsExactly("\\Driver\\Self");
      assertThat(fixture.images()).hasSize(1);
    }
  }

  @Test
  void T4_driverEntryLoadsASecondDriverAndBothExist() {
    try (Kernel kernel = boot()) {
      LoadFixture fixture = new LoadFixture(kernel);
      fixture.scriptedService("Kmtest-IoHelper")
          .parameter(ScriptedDriver.DEVICE, "\\Device\\Kmtest-IoHelper")
          .parameter(ScriptedDriver.SET_UNLOAD);
      fixture.scriptedService("Kmtest-IoDeviceObject")
          .parameter(ScriptedDriver.LOAD_OTHER, SERVICES + "Kmtest-IoHelper");

      assertThat(fixture.load("Kmtest-IoDeviceObject")).isEqualTo(STATUS_SUCCESS);

      assertThat(fixture.observedStatus("Kmtest-IoDeviceObject", ScriptedDriver.LOAD_OTHER_STATUS))
          .isEqualTo(STATUS_SUCCESS);
      assertThat(fixture.driverNames())
          .containsExactlyInAnyOrder("\\Driver\\Kmtest-IoDeviceObject", "\\Driver\\Kmtest-IoHelper");
      assertThat(fixture.deviceExists("\\Device\\Kmtest-IoHelper")).isTrue();
      assertThat(fixture.entryCount("Kmtest-IoHelper")).isEqualTo(1);
      // Already on a System worker, the nested load ran right there rather than queueing again.
      assertThat(fixture.observedString("Kmtest-IoHelper", ScriptedDriver.THREAD))
          .isEqualTo(fixture.observedString("Kmtest-IoDeviceObject", ScriptedDriver.THREAD));
      assertThat(fixture.images()).hasSize(2);
    }
  }

  @Test
  void T11_unloadingYourselfFromDriverEntryBeforeSettingDriverUnloadIsAnInvalidDeviceRequest() {
    try (Kernel kernel = boot()) {
      LoadFixture fixture = new LoadFixture(kernel);
      fixture.scriptedService("Self").parameter(ScriptedDriver.UNLOAD_SELF).parameter(ScriptedDriver.SET_UNLOAD);

      assertThat(fixture.load("Self")).isEqualTo(STATUS_SUCCESS);

      assertThat(fixture.observedStatus("Self", ScriptedDriver.UNLOAD_SELF_STATUS))
          .isEqualTo(STATUS_INVALID_DEVICE_REQUEST);
      // No state changed: the driver is loaded, initialized, and unloads normally later.
      assertThat(fixture.unloadCount("Self")).isZero();
      KernelDriverObject driver = fixture.referenceDriver("\\Driver\\Self");
      try {
        assertThat(driver.flags()).isEqualTo(DriverFlags.DRVO_LEGACY_DRIVER | DriverFlags.DRVO_INITIALIZED);
      } finally {
        driver.dereference();
      }
      assertThat(fixture.unload("Self")).isEqualTo(STATUS_SUCCESS);
      assertThat(fixture.unloadCount("Self")).isEqualTo(1);
      assertThat(fixture.driverNames()).isEmpty();
      assertThat(fixture.images()).isEmpty();
    }
  }

  @Test
  void T3_T12_kernelModeLoadAndUnloadOfAMissingServiceAreNameNotFound() {
    try (Kernel kernel = boot()) {
      LoadFixture fixture = new LoadFixture(kernel);
      fixture.scriptedService("Asker")
          .parameter(ScriptedDriver.LOAD_OTHER, SERVICES + "deadbeef")
          .parameter(ScriptedDriver.UNLOAD_OTHER, SERVICES + "deadbeef");

      assertThat(fixture.load("Asker")).isEqualTo(STATUS_SUCCESS);

      assertThat(fixture.observedStatus("Asker", ScriptedDriver.LOAD_OTHER_STATUS)).isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
      assertThat(fixture.observedStatus("Asker", ScriptedDriver.UNLOAD_OTHER_STATUS))
          .isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
      assertThat(fixture.driverNames()).containsExactly("\\Driver\\Asker");
      assertThat(fixture.images()).hasSize(1);
    }
  }

  @Test
  void T12_unloadingAMissingServiceIsNameNotFound() {
    try (Kernel kernel = boot()) {
      LoadFixture fixture = new LoadFixture(kernel);
      assertThat(fixture.unload("deadbeef")).isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
      assertThat(fixture.driverNames()).isEmpty();
      assertThat(List.copyOf(fixture.images())).isEmpty();
    }
  }
}
