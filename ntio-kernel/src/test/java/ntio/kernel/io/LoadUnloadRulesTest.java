package ntio.kernel.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import ntio.api.DriverStatistics;
import ntio.api.VerifierSettings;
import ntio.ddk.DeviceFlags;
import ntio.ddk.DriverFlags;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.RegValue;
import ntio.kernel.executive.BugCheck;
import ntio.kernel.io.unloadtests.scripted.ScriptedNames;
import ntio.kernel.verifier.Verifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load and unload rules L1–L4 and L14 of the framework-and-verifier spec, each through real
 * driver images: the lab driver (its DriverEntry and DriverUnload are scripts) and the unload
 * tests' scripted driver (its DriverEntry can be held at a gate). Several of these behaviours are
 * also tested under the I/O manager spec's B-numbers; here each test asserts the rule's own point.
 */
@Timeout(60)
class LoadUnloadRulesTest {

  @TempDir Path state;

  private static boolean imageLoaded(IoLab lab, String imageName) {
    return lab.kernel.io().loader().loadedImages().stream()
        .anyMatch(image -> image.imageName().equals(imageName));
  }

  // L1 ----------------------------------------------------------------------------------------------

  @Test
  void L1_aFailedDriverEntryNeverGetsDriverUnloadAndLeavesNoDriverObjectNorMappedImage() {
    try (IoLab lab = IoLab.boot(state)) {
      lab.lab("L1Fail").entry("create d \\Device\\L1Fail", "delete d")
          .entryStatus(NtStatus.STATUS_NOT_IMPLEMENTED).install();

      assertThat(lab.load("L1Fail")).as("DriverEntry's own status").isEqualTo(NtStatus.STATUS_NOT_IMPLEMENTED);

      assertThat(lab.observed("L1Fail").dword("d.Create")).as("DriverEntry ran").isZero();
      assertThat(lab.observed("L1Fail").count("Unload.Count")).as("DriverUnload calls").isZero();
      assertThat(lab.driverExists("L1Fail")).isFalse();
      assertThat(lab.deviceExists("\\Device\\L1Fail")).isFalse();
      assertThat(imageLoaded(lab, "L1Fail.jar")).as("the image is unmapped").isFalse();
      assertThat(lab.kernel.bugChecks().first()).isEmpty();
    }
  }

  @Test
  void L1_T37_anInformationalStatusKeepsTheDriverLoadedAndAWarningStatusIsAFailure() {
    try (IoLab lab = IoLab.boot(state)) {
      NtStatus informational = NtStatus.of(0x40000000);
      lab.lab("L1Info").entry("create d \\Device\\L1Info").entryStatus(informational).install();
      lab.lab("L1Warn").entry("create d \\Device\\L1Warn")
          .entryStatus(NtStatus.STATUS_BUFFER_OVERFLOW).install();

      assertThat(lab.load("L1Info")).isEqualTo(informational);
      assertThat(lab.driverExists("L1Info")).isTrue();
      assertThat(lab.deviceExists("\\Device\\L1Info")).isTrue();
      assertThat(imageLoaded(lab, "L1Info.jar")).isTrue();

      assertThat(NtStatus.STATUS_BUFFER_OVERFLOW.code()).isEqualTo(0x80000005);
      assertThat(lab.load("L1Warn")).isEqualTo(NtStatus.STATUS_BUFFER_OVERFLOW);
      assertThat(lab.observed("L1Warn").count("Unload.Count")).isZero();
      assertThat(lab.driverExists("L1Warn")).isFalse();
      // The lab driver's default DriverUnload would have deleted the device; it never ran, and the
      // device DriverEntry left holds the driver object: the L1 leak, with no one to free it.
      assertThat(lab.deviceExists("\\Device\\L1Warn")).isTrue();

      // The informational load is a real load: it unloads through DriverUnload.
      assertThat(lab.unload("L1Info")).isEqualTo(NtStatus.STATUS_SUCCESS);
      lab.awaitUnloaded("L1Info");
      assertThat(lab.observed("L1Info").count("Unload.Count")).isEqualTo(1);
      IoLab.await("L1Info.jar to be unmapped", () -> !imageLoaded(lab, "L1Info.jar"));
    }
  }

  // L2 ----------------------------------------------------------------------------------------------

  @Test
  void L2_T02_aDriverEntryThatFreesOnItsErrorPathLeavesNothingUnderPoolTracking() {
    try (IoLab lab = IoLab.boot(state)) {
      lab.kernel.io().verifier().setVolatileSettings(
          VerifierSettings.parse("L2Tidy.jar L2Leaky.jar", VerifierSettings.STANDARD_FLAGS));
      lab.lab("L2Tidy").entry("alloc b 64 Tidy", "free b")
          .entryStatus(NtStatus.STATUS_INSUFFICIENT_RESOURCES).install();

      assertThat(lab.load("L2Tidy")).as("no bug check stopped the load")
          .isEqualTo(NtStatus.STATUS_INSUFFICIENT_RESOURCES);

      assertThat(lab.kernel.bugChecks().first()).isEmpty();
      assertThat(lab.observed("L2Tidy").dword("b.Alloc")).isZero();
      assertThat(lab.observed("L2Tidy").count("Unload.Count")).isZero();
      assertThat(imageLoaded(lab, "L2Tidy.jar")).isFalse();
      DriverStatistics figures = lab.kernel.io().verifier().query("L2Tidy.jar").orElseThrow();
      assertThat(figures.allocations()).as("the block was tracked").isGreaterThanOrEqualTo(1);
      assertThat(figures.outstanding()).as("pool count for the image").isZero();
      assertThat(figures.frees()).isEqualTo(figures.allocations());

      // The same DriverEntry without the free on its error path: the leak is caught at the unmap.
      lab.lab("L2Leaky").entry("alloc b 64 Leak")
          .entryStatus(NtStatus.STATUS_INSUFFICIENT_RESOURCES).install();
      assertThat(lab.load("L2Leaky")).isEqualTo(NtStatus.STATUS_SYSTEM_SHUTDOWN);
      BugCheck found = lab.kernel.bugChecks().first().orElseThrow();
      assertThat(found.code()).isEqualTo(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION);
      assertThat(found.parameter1()).isEqualTo(Verifier.POOL_LEAK_AT_UNLOAD);
      assertThat(found.driver()).isEqualTo("L2Leaky.jar");
    }
  }

  @Test
  void L2_aFailingDriverEntryThatDeletedItsShutdownRegisteredDeviceLeavesNoRegistration() {
    IoLab lab = IoLab.boot(state);
    try {
      lab.lab("L2Shut").entry("create d \\Device\\L2Shut", "shutdown d", "state d Registered", "delete d")
          .entryStatus(NtStatus.STATUS_UNSUCCESSFUL).install();

      assertThat(lab.load("L2Shut")).isEqualTo(NtStatus.STATUS_UNSUCCESSFUL);

      assertThat(lab.observed("L2Shut").status("d.Shutdown")).isEqualTo(NtStatus.STATUS_SUCCESS);
      assertThat(lab.observed("L2Shut").dword("Registered.Flags") & DeviceFlags.DO_SHUTDOWN_REGISTERED)
          .as("registered before the delete").isEqualTo(DeviceFlags.DO_SHUTDOWN_REGISTERED);
      assertThat(lab.kernel.io().shutdown.registrations()).as("the shutdown queue").isEmpty();
      assertThat(imageLoaded(lab, "L2Shut.jar")).isFalse();
    } finally {
      lab.close();
    }
    // The shutdown sent nothing into the unmapped image.
    assertThat(lab.kernel.bugChecks().first()).isEmpty();
    try (IoLab again = IoLab.boot(state)) {
      assertThat(again.observed("L2Shut").count("d.IRP_MJ_SHUTDOWN")).isZero();
    }
  }

  // L3 ----------------------------------------------------------------------------------------------

  private static boolean unloadPending(UnloadFixture f, String deviceName) {
    return (f.deviceState(deviceName).extensionFlags() & DeviceFlags.DOE_UNLOAD_PENDING) != 0;
  }

  @Test
  void L3_withAnOpenHandleTheUnloadSucceedsButDriverUnloadWaitsForTheLastCloseAndNewOpensAreRefused() {
    try (UnloadFixture f = UnloadFixture.boot(state)) {
      f.installScripted("L3Open", RegValue.string(ScriptedNames.DEVICE_NAME, "\\Device\\L3Open"));
      assertThat(f.load("L3Open")).isEqualTo(NtStatus.STATUS_SUCCESS);
      Handle handle = f.open(f.admin, "\\Device\\L3Open");

      assertThat(f.unload("L3Open")).isEqualTo(NtStatus.STATUS_SUCCESS);

      assertThat(f.observed("L3Open", ScriptedNames.UNLOADS)).as("DriverUnload calls").isZero();
      assertThat(unloadPending(f, "\\Device\\L3Open")).as("DOE_UNLOAD_PENDING").isTrue();
      assertThat(f.tryOpen(f.admin, "\\Device\\L3Open").status()).isEqualTo(NtStatus.STATUS_NO_SUCH_DEVICE);
      assertThat(f.observed("L3Open", ScriptedNames.UNLOADS)).isZero();

      f.close(handle);

      f.awaitUnloaded("L3Open", "\\Driver\\L3Open", 1);
      assertThat(f.observed("L3Open", ScriptedNames.UNLOAD_ALL_MARKED)).isEqualTo(1);
      f.assertNoViolations("L3Open");
    }
  }

  @Test
  void L3_withAnotherDriverAttachedTheUnloadSucceedsButDriverUnloadWaitsForTheDetach() {
    try (UnloadFixture f = UnloadFixture.boot(state)) {
      f.installScripted("L3Lower", RegValue.string(ScriptedNames.DEVICE_NAME, "\\Device\\L3Lower"),
          RegValue.dword(ScriptedNames.NO_OPEN_CHECK, 1));
      f.installScripted("L3Upper", RegValue.string(ScriptedNames.DEVICE_NAME, "\\Device\\L3Upper"),
          RegValue.string(ScriptedNames.ATTACH_TO, "\\Device\\L3Lower"));
      assertThat(f.load("L3Lower")).isEqualTo(NtStatus.STATUS_SUCCESS);
      assertThat(f.load("L3Upper")).isEqualTo(NtStatus.STATUS_SUCCESS);
      assertThat(f.deviceState("\\Device\\L3Lower").referenceCount()).as("nothing open").isZero();

      assertThat(f.unload("L3Lower")).isEqualTo(NtStatus.STATUS_SUCCESS);

      assertThat(f.observed("L3Lower", ScriptedNames.UNLOADS)).isZero();
      assertThat(f.driverResolves("\\Driver\\L3Lower")).isTrue();
      assertThat(unloadPending(f, "\\Device\\L3Lower")).isTrue();
      assertThat(f.tryOpen(f.admin, "\\Device\\L3Lower").status()).isEqualTo(NtStatus.STATUS_NO_SUCH_DEVICE);
      assertThat(f.imageLoaded("L3Lower.jar")).isTrue();

      // The upper driver's DriverUnload detaches and deletes its device: the last reference goes.
      assertThat(f.unload("L3Upper")).isEqualTo(NtStatus.STATUS_SUCCESS);

      f.awaitUnloaded("L3Lower", "\\Driver\\L3Lower", 1);
      assertThat(f.observed("L3Lower", ScriptedNames.UNLOAD_ALL_MARKED)).isEqualTo(1);
      UnloadFixture.await("L3Lower.jar to be unmapped", () -> !f.imageLoaded("L3Lower.jar"));
    }
  }

  // L4 ----------------------------------------------------------------------------------------------

  @Test
  void L4_driverUnloadAndTheUnmapAreSeparateStepsADeviceLeftByDriverUnloadKeepsTheImageMapped() {
    try (IoLab lab = IoLab.boot(state)) {
      // DriverUnload records the driver's state and deletes nothing.
      lab.lab("L4Left").entry("create d \\Device\\L4Left").unloadScript("driver U").load();

      assertThat(lab.unload("L4Left")).isEqualTo(NtStatus.STATUS_SUCCESS);

      assertThat(lab.observed("L4Left").count("Unload.Count")).as("DriverUnload ran").isEqualTo(1);
      assertThat(lab.observed("L4Left").string("U.Devices")).isEqualTo("d");
      assertThat(lab.driverExists("L4Left")).as("the name goes with the unload").isFalse();
      assertThat(lab.deviceExists("\\Device\\L4Left")).isTrue();
      assertThat((int) lab.device("\\Device\\L4Left", d -> d.driverObject().flags() & DriverFlags.DRVO_UNLOAD_INVOKED))
          .isEqualTo(DriverFlags.DRVO_UNLOAD_INVOKED);
      assertThat(imageLoaded(lab, "L4Left.jar")).as("the device holds the driver object, which holds the image")
          .isTrue();

      // The second step comes when the last reference on the driver object goes: here the device's,
      // once driver code (still mapped) deletes it.
      lab.device("\\Device\\L4Left", d -> {
        d.driverObject().services().deleteDevice(d);
        return null;
      });

      IoLab.await("L4Left.jar to be unmapped", () -> !imageLoaded(lab, "L4Left.jar"));
      assertThat(lab.observed("L4Left").count("Unload.Count")).as("no second DriverUnload").isEqualTo(1);
      assertThat(lab.kernel.bugChecks().first()).isEmpty();
    }
  }

  // L14 ---------------------------------------------------------------------------------------------

  @Test
  void L14_anUnloadIssuedWhileDriverEntryRunsWaitsAndDriverUnloadRunsOnlyAfterDriverEntryReturned()
      throws Exception {
    try (UnloadFixture f = UnloadFixture.boot(state)) {
      f.installScripted("L14Gated", RegValue.string(ScriptedNames.DEVICE_NAME, "\\Device\\L14Gated"),
          RegValue.dword(ScriptedNames.ENTRY_GATE, 1));
      ExecutorService loader = Executors.newSingleThreadExecutor();
      ExecutorService unloader = Executors.newSingleThreadExecutor();
      try {
        Future<NtStatus> load = loader.submit(() -> f.load("L14Gated"));
        UnloadFixture.await("DriverEntry to reach its gate",
            () -> f.hasObserved("L14Gated", ScriptedNames.ENTRY_STARTED));

        Future<NtStatus> unload = unloader.submit(() -> f.unload("L14Gated"));
        Thread.sleep(300);

        assertThat(unload.isDone()).as("NtUnloadDriver waits while DriverEntry runs").isFalse();
        assertThat(f.observed("L14Gated", ScriptedNames.UNLOADS)).isZero();
        assertThat(load.isDone()).isFalse();

        f.setParameter("L14Gated", RegValue.dword(ScriptedNames.ENTRY_GO, 1));

        assertThat(load.get(30, TimeUnit.SECONDS)).isEqualTo(NtStatus.STATUS_SUCCESS);
        assertThat(unload.get(30, TimeUnit.SECONDS)).isEqualTo(NtStatus.STATUS_SUCCESS);
      } finally {
        loader.shutdownNow();
        unloader.shutdownNow();
      }

      f.awaitUnloaded("L14Gated", "\\Driver\\L14Gated", 1);
      assertThat(f.observed("L14Gated", ScriptedNames.LOADS)).isEqualTo(1);
      assertThat(f.observed("L14Gated", ScriptedNames.UNLOAD_FLAGS) & DriverFlags.DRVO_INITIALIZED)
          .as("DriverUnload saw a driver whose DriverEntry had returned and been initialized")
          .isEqualTo(DriverFlags.DRVO_INITIALIZED);
      assertThat(f.observed("L14Gated", ScriptedNames.UNLOAD_DEVICE_COUNT))
          .as("the device DriverEntry created after the gate existed at DriverUnload").isEqualTo(1);
      f.assertNoViolations("L14Gated");
    }
  }
}
